//! A validated CID and strict parsing with precise error messages.

use std::fmt;
use std::str::FromStr;

use ::cid::multibase::Base;
use ::cid::multihash::Multihash;

use crate::CidVersion;

type Inner = ::cid::Cid;

/// Largest digest accepted (the capacity of [`cid::Cid`](::cid::Cid)'s multihash).
const MAX_DIGEST_LEN: usize = 64;

/// A content identifier that has been checked to be well formed.
///
/// A `Cid` is either a CIDv0 (a bare base58btc sha2-256 multihash, `Qm…`) or
/// a CIDv1 whose codec and multihash function are known and whose digest has
/// the length its hash function produces. It is a thin wrapper around
/// [`cid::Cid`](::cid::Cid) that only exists in that validated state.
///
/// [`Display`](fmt::Display) writes the canonical form: base58btc for
/// CIDv0, lower-case base32 (`b…`) for CIDv1, whatever multibase was parsed.
///
/// # Examples
///
/// ```
/// use pinion_cid::{Cid, CidVersion};
///
/// let cid: Cid = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o".parse()?;
/// assert_eq!(cid.version(), CidVersion::V0);
/// assert_eq!(cid.codec(), 0x70); // dag-pb
/// assert_eq!(
///     cid.to_v1().to_string(),
///     "bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby"
/// );
///
/// let err = Cid::parse("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid CID \"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5\": a CIDv0 is 46 \
///      base58btc characters, this one has 45"
/// );
/// # Ok::<(), pinion_cid::ParseCidError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cid(Inner);

impl Cid {
    /// Parses and validates a CID string.
    ///
    /// Accepts a CIDv0 (`Qm…`, 46 base58btc characters) or a CIDv1 in any
    /// multibase (`b…` base32, `k…` base36, `z…` base58btc, `f…` base16, …).
    /// Rejects surrounding whitespace, paths and URLs (`/ipfs/…`,
    /// `ipfs://…`), unknown multibases, bad characters, wrong lengths,
    /// unknown CID versions, codecs and hash functions, digests of the wrong
    /// size, and trailing bytes. The error says which.
    pub fn parse(input: &str) -> Result<Self, ParseCidError> {
        parse(input).map_err(|kind| ParseCidError::new(input, kind))
    }

    /// Parses and validates a CID in its binary form.
    ///
    /// A 34-byte sha2-256 multihash (`0x12 0x20 …`) is a CIDv0; anything else
    /// must be a binary CIDv1.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ParseCidError> {
        parse_binary(bytes).map_err(|kind| ParseCidError::new(&hex_preview(bytes), kind))
    }

    /// Builds a `Cid` from bytes this crate produced itself.
    pub(crate) fn from_trusted_bytes(bytes: &[u8]) -> Self {
        match parse_binary(bytes) {
            Ok(cid) => cid,
            Err(kind) => unreachable!("internally built CID is invalid: {kind}"),
        }
    }

    /// The CID version.
    pub fn version(&self) -> CidVersion {
        match self.0.version() {
            ::cid::Version::V0 => CidVersion::V0,
            ::cid::Version::V1 => CidVersion::V1,
        }
    }

    /// The multicodec of the content (`0x70` dag-pb, `0x55` raw, …).
    pub fn codec(&self) -> u64 {
        self.0.codec()
    }

    /// The multicodec's name (`"dag-pb"`, `"raw"`, …).
    pub fn codec_name(&self) -> &'static str {
        codec_name(self.0.codec()).unwrap_or("unknown")
    }

    /// The multihash function code (`0x12` for sha2-256).
    pub fn hash_code(&self) -> u64 {
        self.0.hash().code()
    }

    /// The digest of the multihash.
    pub fn digest(&self) -> &[u8] {
        self.0.hash().digest()
    }

    /// The binary form (for a CIDv0, the bare multihash).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.to_bytes()
    }

    /// Length of [`to_bytes`](Self::to_bytes) without allocating.
    pub fn encoded_len(&self) -> usize {
        self.0.encoded_len()
    }

    /// The same content as a CIDv1 (a CIDv1 is returned unchanged).
    ///
    /// A CIDv0 becomes the dag-pb CIDv1 with the same multihash, the form
    /// IPFS gateways use in subdomains.
    pub fn to_v1(&self) -> Cid {
        Cid(Inner::new_v1(self.0.codec(), *self.0.hash()))
    }

    /// The wrapped [`cid::Cid`](::cid::Cid).
    pub fn as_inner(&self) -> &::cid::Cid {
        &self.0
    }

    /// Unwraps into a [`cid::Cid`](::cid::Cid).
    pub fn into_inner(self) -> ::cid::Cid {
        self.0
    }
}

impl fmt::Display for Cid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Cid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cid({})", self.0)
    }
}

impl FromStr for Cid {
    type Err = ParseCidError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Cid::parse(s)
    }
}

impl TryFrom<&str> for Cid {
    type Error = ParseCidError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Cid::parse(s)
    }
}

impl TryFrom<::cid::Cid> for Cid {
    type Error = ParseCidError;

    /// Validates a [`cid::Cid`](::cid::Cid) (known codec and hash function,
    /// correct digest length).
    fn try_from(cid: ::cid::Cid) -> Result<Self, Self::Error> {
        Cid::from_bytes(&cid.to_bytes())
    }
}

impl From<Cid> for ::cid::Cid {
    fn from(cid: Cid) -> Self {
        cid.0
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Cid {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Cid {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Cid;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a CID string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Cid, E> {
                Cid::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// Why a string (or byte sequence) is not a valid CID.
///
/// Its message quotes the input (shortened if long) and says what is wrong,
/// e.g. `invalid CID "bafy…": unknown multibase prefix 'x'`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid CID \"{input}\": {kind}")]
pub struct ParseCidError {
    input: String,
    kind: ParseCidErrorKind,
}

impl ParseCidError {
    fn new(input: &str, kind: ParseCidErrorKind) -> Self {
        const MAX: usize = 100;
        let input = if input.chars().count() > MAX {
            let mut s: String = input.chars().take(MAX).collect();
            s.push('…');
            s
        } else {
            input.to_owned()
        };
        ParseCidError { input, kind }
    }

    /// What was wrong.
    pub fn kind(&self) -> &ParseCidErrorKind {
        &self.kind
    }

    /// The rejected input (shortened to 100 characters; bytes are shown in hex).
    pub fn input(&self) -> &str {
        &self.input
    }
}

/// The specific reason a CID was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseCidErrorKind {
    /// The input is empty.
    #[error("it is empty")]
    Empty,
    /// The input contains whitespace.
    #[error("it contains whitespace at character {position}")]
    Whitespace {
        /// Character index of the first whitespace.
        position: usize,
    },
    /// The input looks like a path or URL rather than a bare CID.
    #[error("it looks like a path or URL; expected a bare CID such as \"bafy…\" or \"Qm…\"")]
    PathOrUrl,
    /// A `Q…` string that is not 46 characters long.
    #[error("a CIDv0 is 46 base58btc characters, this one has {len}")]
    CidV0Length {
        /// Number of characters found.
        len: usize,
    },
    /// The first character is not a known multibase prefix.
    #[error(
        "unknown multibase prefix {prefix:?} (a CIDv1 starts with a multibase code such as 'b')"
    )]
    UnknownMultibase {
        /// The prefix character.
        prefix: char,
    },
    /// The characters after the multibase prefix are not valid in that base.
    #[error("not valid {base} (a character outside the base's alphabet or a bad length)")]
    InvalidEncoding {
        /// Name of the base.
        base: &'static str,
    },
    /// The bytes end before the CID is complete.
    #[error("the CID is truncated: it ends inside the {field}")]
    Truncated {
        /// The field being read.
        field: &'static str,
    },
    /// A varint is malformed (too long or not minimally encoded).
    #[error("malformed varint in the {field}")]
    InvalidVarint {
        /// The field being read.
        field: &'static str,
    },
    /// The CID version is neither 0 nor 1.
    #[error("unsupported CID version {0}")]
    UnsupportedVersion(u64),
    /// The binary form of a CIDv0 was wrapped in a multibase.
    #[error("a CIDv0 must be written as bare base58btc (\"Qm…\"), not with a multibase prefix")]
    MultibaseCidV0,
    /// A CIDv0 whose multihash is not a 32-byte sha2-256.
    #[error("a CIDv0 must be a 32-byte sha2-256 multihash")]
    InvalidCidV0,
    /// A CIDv1 declared version 0 in its binary form.
    #[error("version 0 cannot be written in the CIDv1 binary format")]
    ExplicitCidV0,
    /// The codec is not one pinion knows.
    #[error("unknown codec 0x{0:x}")]
    UnknownCodec(u64),
    /// The multihash function is not one pinion knows.
    #[error("unknown multihash function 0x{0:x}")]
    UnknownHash(u64),
    /// The digest length does not match the hash function.
    #[error("a {hash} digest is {expected} bytes, this one is {actual}")]
    DigestLength {
        /// Name of the hash function.
        hash: &'static str,
        /// The length the function produces.
        expected: &'static str,
        /// The declared length.
        actual: u64,
    },
    /// Bytes remain after the multihash.
    #[error("{0} unexpected byte(s) after the multihash")]
    TrailingBytes(usize),
}

type Kind = ParseCidErrorKind;

fn parse(input: &str) -> Result<Cid, Kind> {
    if input.is_empty() {
        return Err(Kind::Empty);
    }
    if let Some(position) = input.chars().position(char::is_whitespace) {
        return Err(Kind::Whitespace { position });
    }
    if input.contains('/') || input.contains(':') {
        return Err(Kind::PathOrUrl);
    }
    if input.starts_with('Q') {
        // No multibase uses 'Q': this is (meant to be) a CIDv0.
        let len = input.chars().count();
        if len != 46 {
            return Err(Kind::CidV0Length { len });
        }
        let bytes = Base::Base58Btc
            .decode(input)
            .map_err(|_| Kind::InvalidEncoding { base: "base58btc" })?;
        return parse_v0(&bytes);
    }
    let prefix = input.chars().next().unwrap_or_default();
    let base = Base::from_code(prefix).map_err(|_| Kind::UnknownMultibase { prefix })?;
    let bytes = base
        .decode(&input[prefix.len_utf8()..])
        .map_err(|_| Kind::InvalidEncoding {
            base: base_name(base),
        })?;
    if bytes.first() == Some(&0x12) && bytes.get(1) == Some(&0x20) {
        return Err(Kind::MultibaseCidV0);
    }
    let cid = parse_binary(&bytes)?;
    Ok(cid)
}

fn parse_v0(bytes: &[u8]) -> Result<Cid, Kind> {
    if bytes.len() != 34 || bytes[0] != 0x12 || bytes[1] != 0x20 {
        return Err(Kind::InvalidCidV0);
    }
    let hash = Multihash::wrap(0x12, &bytes[2..]).map_err(|_| Kind::InvalidCidV0)?;
    Inner::new_v0(hash).map(Cid).map_err(|_| Kind::InvalidCidV0)
}

fn parse_binary(bytes: &[u8]) -> Result<Cid, Kind> {
    if bytes.is_empty() {
        return Err(Kind::Empty);
    }
    if bytes[0] == 0x12 && bytes.len() == 34 {
        return parse_v0(bytes);
    }
    let mut rest = bytes;
    let version = read_varint(&mut rest, "version")?;
    match version {
        1 => {}
        0 => return Err(Kind::ExplicitCidV0),
        0x12 => return Err(Kind::InvalidCidV0),
        v => return Err(Kind::UnsupportedVersion(v)),
    }
    let codec = read_varint(&mut rest, "codec")?;
    if codec_name(codec).is_none() {
        return Err(Kind::UnknownCodec(codec));
    }
    let hash = read_varint(&mut rest, "multihash function")?;
    let (hash_name, expected) = hash_info(hash).ok_or(Kind::UnknownHash(hash))?;
    let declared = read_varint(&mut rest, "digest length")?;
    let ok = match expected {
        DigestLen::Fixed(n) => declared == n as u64,
        DigestLen::Variable => (1..=MAX_DIGEST_LEN as u64).contains(&declared),
        DigestLen::UpTo => declared <= MAX_DIGEST_LEN as u64,
    };
    if !ok {
        return Err(Kind::DigestLength {
            hash: hash_name,
            expected: expected.describe(),
            actual: declared,
        });
    }
    let declared = declared as usize;
    if rest.len() < declared {
        return Err(Kind::Truncated { field: "digest" });
    }
    let (digest, trailing) = rest.split_at(declared);
    if !trailing.is_empty() {
        return Err(Kind::TrailingBytes(trailing.len()));
    }
    let mh = Multihash::wrap(hash, digest).map_err(|_| Kind::DigestLength {
        hash: hash_name,
        expected: "at most 64",
        actual: declared as u64,
    })?;
    Ok(Cid(Inner::new_v1(codec, mh)))
}

fn read_varint(rest: &mut &[u8], field: &'static str) -> Result<u64, Kind> {
    let mut value: u64 = 0;
    for (i, &byte) in rest.iter().enumerate() {
        // Multiformats varints are at most 9 bytes (63 bits).
        if i == 9 {
            return Err(Kind::InvalidVarint { field });
        }
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            if byte == 0 && i > 0 {
                // not minimally encoded
                return Err(Kind::InvalidVarint { field });
            }
            *rest = &rest[i + 1..];
            return Ok(value);
        }
    }
    Err(Kind::Truncated { field })
}

fn base_name(base: Base) -> &'static str {
    match base {
        Base::Identity => "identity",
        Base::Base2 => "base2",
        Base::Base8 => "base8",
        Base::Base10 => "base10",
        Base::Base16Lower => "base16",
        Base::Base16Upper => "base16upper",
        Base::Base32Lower => "base32",
        Base::Base32Upper => "base32upper",
        Base::Base32PadLower => "base32pad",
        Base::Base32PadUpper => "base32padupper",
        Base::Base32HexLower => "base32hex",
        Base::Base32HexUpper => "base32hexupper",
        Base::Base32HexPadLower => "base32hexpad",
        Base::Base32HexPadUpper => "base32hexpadupper",
        Base::Base32Z => "base32z",
        Base::Base36Lower => "base36",
        Base::Base36Upper => "base36upper",
        Base::Base58Flickr => "base58flickr",
        Base::Base58Btc => "base58btc",
        Base::Base64 => "base64",
        Base::Base64Url => "base64url",
        Base::Base64Pad => "base64pad",
        Base::Base64UrlPad => "base64urlpad",
        _ => "the multibase",
    }
}

/// Names of the multicodecs accepted in a CIDv1 (the IPLD codecs of the
/// multicodec table that content on IPFS pinning services uses).
fn codec_name(codec: u64) -> Option<&'static str> {
    Some(match codec {
        0x51 => "cbor",
        0x55 => "raw",
        0x70 => "dag-pb",
        0x71 => "dag-cbor",
        0x72 => "libp2p-key",
        0x78 => "git-raw",
        0x7b => "torrent-info",
        0x7c => "torrent-file",
        0x85 => "dag-jose",
        0x86 => "dag-cose",
        0x90 => "eth-block",
        0x91 => "eth-block-list",
        0x92 => "eth-tx-trie",
        0x93 => "eth-tx",
        0x94 => "eth-tx-receipt-trie",
        0x95 => "eth-tx-receipt",
        0x96 => "eth-state-trie",
        0x97 => "eth-account-snapshot",
        0x98 => "eth-storage-trie",
        0xb0 => "bitcoin-block",
        0xb1 => "bitcoin-tx",
        0xc0 => "zcash-block",
        0xc1 => "zcash-tx",
        0x0129 => "dag-json",
        0x0200 => "json",
        0xf101 => "fil-commitment-unsealed",
        0xf102 => "fil-commitment-sealed",
        _ => return None,
    })
}

#[derive(Clone, Copy)]
enum DigestLen {
    Fixed(usize),
    /// Extendable-output functions: any length from 1 to 64.
    Variable,
    /// The identity "hash": the content itself, up to 64 bytes here.
    UpTo,
}

impl DigestLen {
    fn describe(self) -> &'static str {
        match self {
            DigestLen::Fixed(20) => "20",
            DigestLen::Fixed(28) => "28",
            DigestLen::Fixed(32) => "32",
            DigestLen::Fixed(48) => "48",
            DigestLen::Fixed(64) => "64",
            DigestLen::Fixed(_) => "a fixed number of",
            DigestLen::Variable => "1 to 64",
            DigestLen::UpTo => "at most 64",
        }
    }
}

/// Name and digest length of the multihash functions accepted.
fn hash_info(code: u64) -> Option<(&'static str, DigestLen)> {
    use DigestLen::*;
    Some(match code {
        0x00 => ("identity", UpTo),
        0x11 => ("sha1", Fixed(20)),
        0x12 => ("sha2-256", Fixed(32)),
        0x13 => ("sha2-512", Fixed(64)),
        0x14 => ("sha3-512", Fixed(64)),
        0x15 => ("sha3-384", Fixed(48)),
        0x16 => ("sha3-256", Fixed(32)),
        0x17 => ("sha3-224", Fixed(28)),
        0x18 => ("shake-128", Variable),
        0x19 => ("shake-256", Variable),
        0x1a => ("keccak-224", Fixed(28)),
        0x1b => ("keccak-256", Fixed(32)),
        0x1c => ("keccak-384", Fixed(48)),
        0x1d => ("keccak-512", Fixed(64)),
        0x1e => ("blake3", Variable),
        0x20 => ("sha2-384", Fixed(48)),
        0x56 => ("dbl-sha2-256", Fixed(32)),
        0x1012 => ("sha2-256-trunc254-padded", Fixed(32)),
        0xb220 => ("blake2b-256", Fixed(32)),
        0xb240 => ("blake2b-512", Fixed(64)),
        0xb260 => ("blake2s-256", Fixed(32)),
        0xb401 => ("poseidon-bls12_381-a2-fc1", Fixed(32)),
        _ => return None,
    })
}

fn hex_preview(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len().min(50) * 2 + 3);
    for b in bytes.iter().take(50) {
        s.push_str(&format!("{b:02x}"));
    }
    if bytes.len() > 50 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::cid::multibase;

    const V0: &str = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
    const V1_RAW: &str = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
    const V1_DIR: &str = "bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby";

    fn kind(s: &str) -> ParseCidErrorKind {
        Cid::parse(s).unwrap_err().kind().clone()
    }

    #[test]
    fn accepts_v0_and_v1_in_any_base() {
        let v0 = Cid::parse(V0).unwrap();
        assert_eq!(v0.version(), CidVersion::V0);
        assert_eq!(v0.to_string(), V0);
        assert_eq!(v0.codec_name(), "dag-pb");
        assert_eq!(v0.hash_code(), 0x12);
        assert_eq!(v0.digest().len(), 32);
        assert_eq!(v0.to_bytes().len(), 34);
        assert_eq!(v0.encoded_len(), 34);

        let v1 = Cid::parse(V1_RAW).unwrap();
        assert_eq!(v1.version(), CidVersion::V1);
        assert_eq!(v1.codec(), 0x55);
        assert_eq!(v1.codec_name(), "raw");
        assert_eq!(v1.to_string(), V1_RAW);
        assert_eq!(v1.to_v1(), v1);
        assert_eq!(v0.to_v1().to_string(), V1_DIR);

        // the same CIDv1 in other multibases parses to the same value
        let bytes = v1.to_bytes();
        for base in [
            Base::Base32Upper,
            Base::Base36Lower,
            Base::Base58Btc,
            Base::Base16Lower,
            Base::Base64Url,
        ] {
            let s = multibase::encode(base, &bytes);
            assert_eq!(Cid::parse(&s).unwrap(), v1, "{s}");
        }
        assert_eq!(Cid::from_bytes(&bytes).unwrap(), v1);
        assert_eq!(Cid::from_bytes(&v0.to_bytes()).unwrap(), v0);
        assert_eq!(Cid::try_from(v1.into_inner()).unwrap(), v1);
        assert_eq!(V0.parse::<Cid>().unwrap(), v0);
        assert_eq!(format!("{v0:?}"), format!("Cid({V0})"));
    }

    #[test]
    fn rejects_garbage_with_reasons() {
        assert_eq!(kind(""), Kind::Empty);
        assert_eq!(kind(" QmT7"), Kind::Whitespace { position: 0 });
        assert_eq!(kind(&format!("{V0}\n")), Kind::Whitespace { position: 46 });
        assert_eq!(kind(&format!("/ipfs/{V0}")), Kind::PathOrUrl);
        assert_eq!(kind(&format!("ipfs://{V1_RAW}")), Kind::PathOrUrl);
        assert_eq!(kind("xyz"), Kind::UnknownMultibase { prefix: 'x' });
        assert_eq!(kind("hello"), Kind::InvalidEncoding { base: "base32z" });
        assert_eq!(kind("Qm123"), Kind::CidV0Length { len: 5 });
        assert_eq!(kind(&V0[..45]), Kind::CidV0Length { len: 45 });
        assert_eq!(kind(&format!("{V0}x")), Kind::CidV0Length { len: 47 });
        // '0' and 'l' are not in the base58 alphabet
        assert_eq!(
            kind("Qm0000000000000000000000000000000000000000000l"),
            Kind::InvalidEncoding { base: "base58btc" }
        );
        assert_eq!(kind("b!!!!"), Kind::InvalidEncoding { base: "base32" });
        assert_eq!(kind("bafy"), Kind::InvalidEncoding { base: "base32" });
        let two_bytes = multibase::encode(Base::Base32Lower, [0x01, 0x70]);
        assert_eq!(
            kind(&two_bytes),
            Kind::Truncated {
                field: "multihash function"
            }
        );
    }

    #[test]
    fn rejects_wrong_lengths() {
        // one base32 character short: the digest is cut
        let short = &V1_RAW[..V1_RAW.len() - 2];
        assert_eq!(kind(short), Kind::Truncated { field: "digest" });
        // a digest length that does not match sha2-256
        let mut bytes = vec![0x01, 0x55, 0x12, 0x10];
        bytes.extend_from_slice(&[0xab; 16]);
        let s = multibase::encode(Base::Base32Lower, &bytes);
        assert_eq!(
            kind(&s),
            Kind::DigestLength {
                hash: "sha2-256",
                expected: "32",
                actual: 16
            }
        );
        // trailing bytes
        let mut bytes = Cid::parse(V1_RAW).unwrap().to_bytes();
        bytes.push(0);
        let s = multibase::encode(Base::Base32Lower, &bytes);
        assert_eq!(kind(&s), Kind::TrailingBytes(1));
    }

    #[test]
    fn rejects_unknown_codec_version_and_hash() {
        let digest = [7u8; 32];
        let encode = |prefix: &[u8]| {
            let mut b = prefix.to_vec();
            b.extend_from_slice(&digest);
            multibase::encode(Base::Base32Lower, b)
        };
        assert_eq!(
            kind(&encode(&[0x01, 0xbc, 0x0f, 0x12, 0x20])),
            Kind::UnknownCodec(0x7bc)
        );
        let err = Cid::parse(&encode(&[0x01, 0xbc, 0x0f, 0x12, 0x20])).unwrap_err();
        assert!(err.to_string().ends_with(": unknown codec 0x7bc"), "{err}");
        assert_eq!(
            kind(&encode(&[0x02, 0x70, 0x12, 0x20])),
            Kind::UnsupportedVersion(2)
        );
        assert_eq!(
            kind(&encode(&[0x00, 0x70, 0x12, 0x20])),
            Kind::ExplicitCidV0
        );
        assert_eq!(
            kind(&encode(&[0x01, 0x70, 0x99, 0x01, 0x20])),
            Kind::UnknownHash(0x99)
        );
        // a CIDv0 smuggled into a multibase
        assert_eq!(kind(&encode(&[0x12, 0x20])), Kind::MultibaseCidV0);
        // non-minimal varint
        assert_eq!(
            kind(&encode(&[0x01, 0xf0, 0x00, 0x12, 0x20])),
            Kind::InvalidVarint { field: "codec" }
        );
    }

    #[test]
    fn blake3_and_identity() {
        let mut b = vec![0x01, 0x55, 0x1e, 0x20];
        b.extend_from_slice(&[1; 32]);
        assert!(Cid::from_bytes(&b).is_ok());
        let b = [0x01, 0x55, 0x00, 0x03, b'a', b'b', b'c'];
        assert_eq!(Cid::from_bytes(&b).unwrap().digest(), b"abc");
        let err = Cid::from_bytes(&[0x01, 0x55, 0x00, 0x41]).unwrap_err();
        assert_eq!(err.input(), "01550041");
    }

    #[test]
    fn long_input_is_shortened_in_the_message() {
        let long = "b".repeat(300);
        let err = Cid::parse(&long).unwrap_err();
        assert!(err.input().ends_with('…'));
        assert!(err.to_string().len() < 250);
    }
}
