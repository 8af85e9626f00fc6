use super::*;

const SECRET: &[u8] = b"state secret of the emulator under test";
const CID: &str = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
/// 2024-08-28T19:48:20Z, the `X-Date` of the spec's example link.
const DATE: i64 = 1_724_874_500;

fn key() -> SigningKey {
    SigningKey::derive(SECRET)
}

fn at(unix_ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(unix_ms).unwrap()
}

fn download(date: i64, expires: i64) -> Grant {
    Grant {
        algorithm: Algorithm::Download,
        date,
        expires,
        user_id: None,
    }
}

fn upload(date: i64, expires: i64) -> Grant {
    Grant {
        algorithm: Algorithm::Upload,
        date,
        expires,
        user_id: Some("eb73db21-10fa-4005-b97c-639e19e82d60".into()),
    }
}

/// Verifies a signed `url` as the route serving it would.
fn check(
    url: &str,
    algorithm: Algorithm,
    method: Method,
    now: DateTime<Utc>,
) -> Result<Verified, VerifyError> {
    let parsed = url::Url::parse(url).unwrap();
    verify(
        &key(),
        algorithm,
        &method,
        &service_path(&parsed),
        parsed.query(),
        now,
    )
}

fn get(url: &str, now: DateTime<Utc>) -> Result<Verified, VerifyError> {
    check(url, Algorithm::Download, Method::GET, now)
}

/// `url` with the value of query parameter `name` replaced by `value` (or the
/// parameter dropped when `value` is `None`), everything else as it was.
fn with_param(url: &str, name: &str, value: Option<&str>) -> String {
    let mut parsed = url::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .filter_map(|(n, v)| {
            if n == name {
                value.map(|value| (n.into_owned(), value.to_owned()))
            } else {
                Some((n.into_owned(), v.into_owned()))
            }
        })
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(&pairs);
    parsed.into()
}

fn param(url: &str, name: &str) -> String {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
        .unwrap()
}

#[test]
fn a_download_link_has_pinatas_shape_and_verifies() {
    let url = format!("https://blush-fast-impala-660.mypinata.cloud/files/{CID}");
    let signed = sign_url(&key(), &url, &download(DATE, 500_000)).unwrap();
    let prefix = format!(
        "{url}?X-Algorithm=PINATA1&X-Date={DATE}&X-Expires=500000&X-Method=GET&X-Signature="
    );
    assert!(signed.starts_with(&prefix), "{signed}");
    let signature = &signed[prefix.len()..];
    assert_eq!(signature.len(), 64);
    assert!(
        signature
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    let verified = get(&signed, at(DATE * 1000 + 1)).unwrap();
    assert_eq!(verified.grant, download(DATE, 500_000));
    assert!(check(&signed, Algorithm::Download, Method::HEAD, at(DATE * 1000)).is_ok());
}

#[test]
fn a_query_already_in_the_link_is_kept_and_signed() {
    let url = format!("https://gw.mypinata.cloud/files/{CID}?img-width=100&pinataGatewayToken=t");
    let signed = sign_url(&key(), &url, &download(DATE, 30)).unwrap();
    assert!(
        signed.starts_with(&format!("{url}&X-Algorithm=PINATA1&")),
        "{signed}"
    );
    assert!(get(&signed, at(DATE * 1000)).is_ok());
    for changed in [
        with_param(&signed, "img-width", Some("2000")),
        with_param(&signed, "img-width", None),
        with_param(&signed, "pinataGatewayToken", None),
        format!("{signed}&img-height=5"),
    ] {
        assert_eq!(
            get(&changed, at(DATE * 1000)),
            Err(VerifyError::BadSignature),
            "{changed}"
        );
    }
}

#[test]
fn the_host_and_the_emulators_prefix_do_not_matter() {
    let by_host = sign_url(
        &key(),
        &format!("https://blush.mypinata.cloud/files/{CID}"),
        &download(DATE, 60),
    )
    .unwrap();
    let query = url::Url::parse(&by_host)
        .unwrap()
        .query()
        .unwrap()
        .to_owned();
    for served in [
        format!("http://127.0.0.1:4000/gateway/files/{CID}?{query}"),
        format!("http://other.mypinata.cloud//files/{CID}/?{query}"),
    ] {
        assert!(get(&served, at(DATE * 1000)).is_ok(), "{served}");
    }
    let other_file = format!("http://127.0.0.1:4000/gateway/files/{CID}x?{query}");
    assert_eq!(
        get(&other_file, at(DATE * 1000)),
        Err(VerifyError::BadSignature)
    );
    let public_path = format!("http://127.0.0.1:4000/gateway/ipfs/{CID}?{query}");
    assert_eq!(
        get(&public_path, at(DATE * 1000)),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn an_equivalent_spelling_of_the_query_verifies() {
    let signed = sign_url(
        &key(),
        "https://uploads.pinata.cloud/v3/files/209bb44c-e987-47c4-a9e3-a88e02d4d8e9",
        &upload(DATE, 300),
    )
    .unwrap();
    assert!(
        signed.contains("X-Method=%5B%22HEAD%22%2C%22PATCH%22%2C%22POST%22%5D&X-User-ID="),
        "{signed}"
    );
    let (base, query) = signed.split_once('?').unwrap();
    let mut reordered: Vec<&str> = query.split('&').collect();
    reordered.reverse();
    let respelled = format!("{base}?{}", reordered.join("&")).replace(
        "%5B%22HEAD%22%2C%22PATCH%22%2C%22POST%22%5D",
        "[%22HEAD%22,%22PATCH%22,%22POST%22]",
    );
    assert!(check(&respelled, Algorithm::Upload, Method::POST, at(DATE * 1000)).is_ok());
}

#[test]
fn an_upload_url_allows_its_methods_and_carries_the_account() {
    let signed = sign_url(
        &key(),
        "http://127.0.0.1:9/pinata-uploads/v3/files/abc",
        &upload(DATE, 300),
    )
    .unwrap();
    let now = at(DATE * 1000 + 10);
    for method in [Method::POST, Method::PATCH, Method::HEAD] {
        let verified = check(&signed, Algorithm::Upload, method, now).unwrap();
        assert_eq!(verified.grant, upload(DATE, 300));
    }
    for method in [Method::GET, Method::DELETE, Method::PUT] {
        assert_eq!(
            check(&signed, Algorithm::Upload, method, now),
            Err(VerifyError::MethodNotAllowed)
        );
    }
    // One scheme's URL is not accepted where the other is expected.
    assert_eq!(
        check(&signed, Algorithm::Download, Method::GET, now),
        Err(VerifyError::WrongAlgorithm("PINATA1"))
    );
    let link = sign_url(
        &key(),
        "https://gw.mypinata.cloud/files/abc",
        &download(DATE, 300),
    )
    .unwrap();
    assert_eq!(
        check(&link, Algorithm::Upload, Method::POST, now),
        Err(VerifyError::WrongAlgorithm("PINATA2"))
    );
    assert_eq!(
        check(&link, Algorithm::Download, Method::POST, now),
        Err(VerifyError::MethodNotAllowed)
    );
}

#[test]
fn tampering_with_any_signed_parameter_is_refused() {
    let now = at(DATE * 1000 + 5);
    let signed = sign_url(
        &key(),
        "https://uploads.pinata.cloud/v3/files/f?keep=1",
        &upload(DATE, 300),
    )
    .unwrap();
    assert!(check(&signed, Algorithm::Upload, Method::POST, now).is_ok());
    let signature = param(&signed, "X-Signature");
    let mut flipped = signature.clone().into_bytes();
    flipped[63] = if flipped[63] == b'0' { b'1' } else { b'0' };
    let cases = [
        ("X-Date", (DATE - 1).to_string(), VerifyError::BadSignature),
        ("X-Expires", "301".to_owned(), VerifyError::BadSignature),
        (
            "X-Method",
            r#"["HEAD","PATCH","POST","PUT"]"#.to_owned(),
            VerifyError::BadSignature,
        ),
        (
            "X-User-ID",
            "someone-else".to_owned(),
            VerifyError::BadSignature,
        ),
        ("keep", "2".to_owned(), VerifyError::BadSignature),
        (
            "X-Signature",
            String::from_utf8(flipped).unwrap(),
            VerifyError::BadSignature,
        ),
        (
            "X-Signature",
            signature.to_ascii_uppercase(),
            VerifyError::Malformed("X-Signature"),
        ),
        (
            "X-Signature",
            signature[..62].to_owned(),
            VerifyError::Malformed("X-Signature"),
        ),
        (
            "X-Algorithm",
            "PINATA1".to_owned(),
            VerifyError::WrongAlgorithm("PINATA2"),
        ),
        ("X-Date", "-1".to_owned(), VerifyError::Malformed("X-Date")),
        (
            "X-Expires",
            "1e3".to_owned(),
            VerifyError::Malformed("X-Expires"),
        ),
    ];
    for (name, value, expected) in cases {
        let tampered = with_param(&signed, name, Some(&value));
        assert_eq!(
            check(&tampered, Algorithm::Upload, Method::POST, now),
            Err(expected),
            "{name}={value}"
        );
    }
    for name in [
        "X-Algorithm",
        "X-Date",
        "X-Expires",
        "X-Method",
        "X-User-ID",
        "X-Signature",
    ] {
        let dropped = with_param(&signed, name, None);
        assert_eq!(
            check(&dropped, Algorithm::Upload, Method::POST, now),
            Err(VerifyError::Missing(name)),
            "{name}"
        );
    }
    let dropped_own = with_param(&signed, "keep", None);
    assert_eq!(
        check(&dropped_own, Algorithm::Upload, Method::POST, now),
        Err(VerifyError::BadSignature)
    );
    let moved = signed.replace("/v3/files/f?", "/v3/files/g?");
    assert_eq!(
        check(&moved, Algorithm::Upload, Method::POST, now),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn a_repeated_signature_parameter_is_refused() {
    let signed = sign_url(
        &key(),
        "https://gw.mypinata.cloud/files/c",
        &download(DATE, 60),
    )
    .unwrap();
    for name in [
        "X-Date",
        "X-Signature",
        "X-Expires",
        "X-Algorithm",
        "X-Method",
    ] {
        let value = param(&signed, name);
        let twice = format!("{signed}&{name}={value}");
        assert_eq!(
            get(&twice, at(DATE * 1000)),
            Err(VerifyError::Duplicate(name)),
            "{name}"
        );
    }
    // A download link never carries X-User-ID: adding one is not a way around the MAC.
    let with_user = format!("{signed}&X-User-ID=u");
    assert_eq!(
        get(&with_user, at(DATE * 1000)),
        Err(VerifyError::Malformed("X-User-ID"))
    );
}

#[test]
fn only_this_states_key_verifies() {
    let url = "https://gw.mypinata.cloud/files/c";
    let signed = sign_url(&key(), url, &download(DATE, 60)).unwrap();
    let parsed = url::Url::parse(&signed).unwrap();
    let other = SigningKey::derive(b"another emulator's secret");
    assert_eq!(
        verify(
            &other,
            Algorithm::Download,
            &Method::GET,
            "/files/c",
            parsed.query(),
            at(DATE * 1000)
        ),
        Err(VerifyError::BadSignature)
    );
    // The key is derived, not the state's secret itself (which also signs JWTs).
    let raw = SigningKey(hmac::Key::new(hmac::HMAC_SHA256, SECRET));
    let with_raw = sign_url(&raw, url, &download(DATE, 60)).unwrap();
    assert_ne!(with_raw, signed);
    assert_eq!(
        get(&with_raw, at(DATE * 1000)),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn expiry_follows_the_clock_inclusively() {
    let signed = sign_url(
        &key(),
        "https://gw.mypinata.cloud/files/c",
        &download(DATE, 30),
    )
    .unwrap();
    assert_eq!(
        get(&signed, at(DATE * 1000 - CLOCK_SKEW_MS - 1)),
        Err(VerifyError::NotYetValid)
    );
    assert!(get(&signed, at(DATE * 1000 - CLOCK_SKEW_MS)).is_ok());
    assert!(get(&signed, at(DATE * 1000)).is_ok());
    assert!(get(&signed, at((DATE + 30) * 1000)).is_ok());
    assert_eq!(
        get(&signed, at((DATE + 30) * 1000 + 1)),
        Err(VerifyError::Expired)
    );
    // Zero seconds of validity: only the signing instant itself.
    let instant = sign_url(
        &key(),
        "https://gw.mypinata.cloud/files/c",
        &download(DATE, 0),
    )
    .unwrap();
    assert!(get(&instant, at(DATE * 1000)).is_ok());
    assert_eq!(
        get(&instant, at(DATE * 1000 + 1)),
        Err(VerifyError::Expired)
    );
}

#[test]
fn a_millisecond_date_is_read_as_milliseconds() {
    let date_ms = 1_748_814_945_102;
    assert!(date_ms >= MILLISECOND_DATES_FROM);
    let signed = sign_url(
        &key(),
        "https://gw.mypinata.cloud/files/c",
        &download(date_ms, 30),
    )
    .unwrap();
    assert_eq!(
        param(&signed, "X-Date"),
        date_ms.to_string(),
        "echoed verbatim"
    );
    assert_eq!(
        get(&signed, at(date_ms - CLOCK_SKEW_MS - 1)),
        Err(VerifyError::NotYetValid)
    );
    assert!(get(&signed, at(date_ms + 30_000)).is_ok());
    assert_eq!(
        get(&signed, at(date_ms + 30_001)),
        Err(VerifyError::Expired)
    );
    // The largest seconds value below the threshold is still seconds (far future).
    let seconds = MILLISECOND_DATES_FROM - 1;
    let far = sign_url(
        &key(),
        "https://gw.mypinata.cloud/files/c",
        &download(seconds, 1),
    )
    .unwrap();
    assert_eq!(get(&far, at(date_ms)), Err(VerifyError::NotYetValid));
}

#[test]
fn extreme_times_neither_overflow_nor_panic() {
    for (date, expires) in [
        (i64::MAX, i64::MAX),
        (0, i64::MAX),
        (DATE, 99_999_999_999),
        (MILLISECOND_DATES_FROM - 1, i64::MAX),
    ] {
        let signed = sign_url(
            &key(),
            "https://gw.mypinata.cloud/files/c",
            &download(date, expires),
        )
        .unwrap();
        let _ = get(&signed, at(DATE * 1000));
    }
    let forever = sign_url(
        &key(),
        "https://gw.mypinata.cloud/files/c",
        &download(0, i64::MAX),
    )
    .unwrap();
    assert!(get(&forever, at(DATE * 1000)).is_ok());
    let too_big = "https://gw.mypinata.cloud/files/c?X-Algorithm=PINATA1&X-Date=99999999999999999999&X-Expires=1&X-Method=GET&X-Signature=00";
    assert_eq!(get(too_big, at(0)), Err(VerifyError::Malformed("X-Date")));
}

#[test]
fn an_unsigned_url_is_told_apart_from_a_bad_one() {
    let now = at(DATE * 1000);
    assert_eq!(
        get("https://gw.mypinata.cloud/files/c", now),
        Err(VerifyError::Unsigned)
    );
    assert_eq!(
        get("https://gw.mypinata.cloud/files/c?img-width=3", now),
        Err(VerifyError::Unsigned)
    );
    assert_eq!(
        get("https://gw.mypinata.cloud/files/c?X-Signature=ab", now),
        Err(VerifyError::Missing("X-Algorithm"))
    );
}

#[test]
fn signing_refuses_what_it_cannot_sign_honestly() {
    let k = key();
    assert_eq!(
        sign_url(&k, "not a url", &download(DATE, 1)),
        Err(SignError::InvalidUrl)
    );
    assert_eq!(
        sign_url(&k, "/files/c", &download(DATE, 1)),
        Err(SignError::InvalidUrl)
    );
    assert_eq!(
        sign_url(&k, "ftp://gw.mypinata.cloud/files/c", &download(DATE, 1)),
        Err(SignError::InvalidUrl)
    );
    assert_eq!(
        sign_url(
            &k,
            "https://gw.mypinata.cloud/files/c?X-Expires=9",
            &download(DATE, 1)
        ),
        Err(SignError::AlreadySigned("X-Expires"))
    );
    assert_eq!(
        sign_url(&k, "https://gw.mypinata.cloud/files/c", &download(-1, 1)),
        Err(SignError::NegativeTime)
    );
    assert_eq!(
        sign_url(&k, "https://gw.mypinata.cloud/files/c", &download(DATE, -1)),
        Err(SignError::NegativeTime)
    );
    let mut no_user = upload(DATE, 1);
    no_user.user_id = None;
    assert_eq!(
        sign_url(&k, "https://uploads.pinata.cloud/v3/files/x", &no_user),
        Err(SignError::UserId("PINATA2"))
    );
}

#[test]
fn the_key_never_shows_in_debug_output() {
    assert_eq!(format!("{:?}", key()), "SigningKey([redacted])");
}

proptest::proptest! {
    /// Any query on any path is refused or accepted without panicking, and a random
    /// query is never accepted.
    #[test]
    fn hostile_queries_never_panic(path in "(/[a-zA-Z0-9._%-]{0,10}){0,4}", query in "[A-Za-z0-9=&%+_.-]{0,120}", now in proptest::num::i64::ANY) {
        let now = DateTime::from_timestamp_millis(now).unwrap_or_default();
        for algorithm in [Algorithm::Download, Algorithm::Upload] {
            let result = verify(&key(), algorithm, &Method::GET, &path, Some(&query), now);
            proptest::prop_assert!(result.is_err());
        }
    }
}

#[test]
fn download_links_and_upload_urls_share_one_date_rule_with_a_small_clock_skew() {
    let url = "https://uploads.pinata.cloud/v3/files/9c1b";
    for grant in [download(DATE, 30), upload(DATE, 30)] {
        let signed = sign_url(&key(), url, &grant).unwrap();
        let method = match grant.algorithm {
            Algorithm::Download => Method::GET,
            Algorithm::Upload => Method::POST,
        };
        let checked = |now_ms: i64| check(&signed, grant.algorithm, method.clone(), at(now_ms));
        // Dated 30 s and exactly the skew ahead of the clock: taken.
        assert!(checked(DATE * 1000 - 30_000).is_ok(), "{grant:?}");
        assert!(checked(DATE * 1000 - CLOCK_SKEW_MS).is_ok(), "{grant:?}");
        // Dated further ahead than the skew: not valid yet, for both algorithms.
        assert_eq!(
            checked(DATE * 1000 - CLOCK_SKEW_MS - 1),
            Err(VerifyError::NotYetValid),
            "{grant:?}"
        );
        assert_eq!(
            checked(DATE * 1000 - 600_000),
            Err(VerifyError::NotYetValid),
            "{grant:?}"
        );
    }
}
