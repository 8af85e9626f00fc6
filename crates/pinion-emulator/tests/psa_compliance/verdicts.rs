//! The PSA compliance suite's verdicts: read from its markdown report, and from the committed
//! lists of expected verdicts (`scenarios/psa-compliance/expected-*.txt`).
//!
//! A verdict is one line, `pass  <call>` or `fail  <call> / <expectation>`: the suite makes
//! API calls (each titled, some nested under a check), and checks expectations on each. Titles
//! carry the run's random values (CIDs, pin names, request ids); they are replaced with
//! placeholders so that two runs give the same lines.

use std::collections::BTreeSet;

/// The report header's check mark of a passed call or expectation.
const PASS: &str = "🟢";
/// The report header's mark of a failed one.
const FAIL: &str = "❌";

/// Every verdict of one report, normalised and de-duplicated (the suite repeats some calls,
/// e.g. the pins it creates for paging; any one of them failing shows as a `fail` line).
pub fn from_report(report: &str) -> Result<BTreeSet<String>, String> {
    if !report
        .lines()
        .any(|line| line.starts_with("## Summary (") && line.ends_with(" successful)"))
    {
        return Err("the report has no summary: the suite did not finish".to_string());
    }
    let mut verdicts = BTreeSet::new();
    let mut call: Option<String> = None;
    let mut in_expectations = false;
    for line in report.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            in_expectations = false;
            call = None;
            let parsed = heading
                .strip_suffix(&format!(" - {PASS} SUCCESS"))
                .map(|title| ("pass", title))
                .or_else(|| {
                    heading
                        .strip_suffix(&format!(" - {FAIL} FAILED"))
                        .map(|title| ("fail", title))
                });
            if let Some((verdict, title)) = parsed {
                let title = normalise(title);
                verdicts.insert(format!("{verdict}  {title}"));
                call = Some(title);
            }
        } else if line.starts_with("### ") {
            in_expectations = line.starts_with("### Expectations");
        } else if in_expectations && let Some(call) = &call {
            let item = line.trim();
            let parsed = item
                .strip_prefix(&format!("{PASS} "))
                .and_then(|rest| rest.strip_suffix(" (success)"))
                .map(|title| ("pass", title))
                .or_else(|| {
                    item.strip_prefix(&format!("{FAIL} "))
                        .and_then(|rest| rest.strip_suffix(" (failure)"))
                        .map(|title| ("fail", title))
                });
            if let Some((verdict, title)) = parsed {
                verdicts.insert(format!("{verdict}  {call} / {}", normalise(title)));
            }
        }
    }
    if verdicts.is_empty() {
        return Err("the report holds no verdict".to_string());
    }
    Ok(verdicts)
}

/// Where the suite's titles put a random value, what comes after it, and its placeholder.
const RANDOM_VALUES: &[(&str, char, &str)] = &[
    ("requestid '", '\'', "<requestid>"),
    ("requestid from new pin (", ')', "<requestid>"),
    ("cid '", '\'', "<cid>"),
    ("cid='", '\'', "<cid>"),
    ("CID '", '\'', "<cid>"),
    ("replaced with '", '\'', "<cid>"),
    ("name '", '\'', "<name>"),
    ("name='", '\'', "<name>"),
    ("created before '", '\'', "<date>"),
];

/// A title with each random value replaced by its placeholder.
pub fn normalise(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut rest = title;
    'scan: while !rest.is_empty() {
        for (prefix, end, placeholder) in RANDOM_VALUES {
            if let Some(after) = rest.strip_prefix(prefix)
                && let Some(close) = after.find(*end)
            {
                out.push_str(prefix);
                out.push_str(placeholder);
                out.push(*end);
                rest = &after[close + end.len_utf8()..];
                continue 'scan;
            }
        }
        let mut chars = rest.chars();
        out.extend(chars.next());
        rest = chars.as_str();
    }
    out
}

/// A committed list of expected verdicts.
#[derive(Debug, Default)]
pub struct Expected {
    /// The verdict lines.
    pub verdicts: BTreeSet<String>,
    /// Each `fail` line with the comment block above it: a block covers the `fail` lines
    /// that follow it, up to a blank line or a `pass` line.
    pub failures: Vec<(String, Vec<String>)>,
}

/// Reads an expected-verdicts file: one verdict per line, `#` comments, blank lines.
pub fn parse_expected(text: &str) -> Result<Expected, String> {
    let mut expected = Expected::default();
    let mut comments = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if let Some(comment) = line.strip_prefix('#') {
            comments.push(comment.trim().to_string());
            continue;
        }
        if line.is_empty() {
            comments.clear();
            continue;
        }
        if !(line.starts_with("pass  ") || line.starts_with("fail  ")) {
            return Err(format!(
                "line {}: `{line}` is neither `pass  …`, `fail  …` nor a comment",
                number + 1
            ));
        }
        if !expected.verdicts.insert(line.to_string()) {
            return Err(format!("line {}: `{line}` is listed twice", number + 1));
        }
        if line.starts_with("fail  ") {
            expected.failures.push((line.to_string(), comments.clone()));
        } else {
            comments.clear();
        }
    }
    Ok(expected)
}

/// The deviation tags (`D1`, `D2`, …) a comment names.
pub fn deviation_tags(comment: &str) -> Vec<String> {
    comment
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| {
            word.len() > 1 && word.starts_with('D') && word[1..].chars().all(|c| c.is_ascii_digit())
        })
        .map(str::to_string)
        .collect()
}

/// What differs between the expected and the actual verdicts, one line each.
pub fn differences(expected: &BTreeSet<String>, actual: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    for line in expected.difference(actual) {
        out.push(format!("expected, not reported: {line}"));
    }
    for line in actual.difference(expected) {
        out.push(format!("reported, not expected: {line}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "
# http://127.0.0.1:4321/pinata/psa compliance:

## Summary (1/2 successful)

  ❌ [Request with no authentication token](#request-with-no-authentication-token----failed)

  🟢 [Can create a pin with name='76192eb5-c02e-4cc5-964c-eb6d735ed5b2'](#x)

## Request with no authentication token - ❌ FAILED

### Expectations (1/2 successful)

  🟢 Response object matches api spec schema (success)

  ❌ Response code is 401 (failure)

### Errors during run

  ⚠️ Error: Invalid response

### Details

## Not a verdict heading

  🟢 Not an expectation (success)

## Can create a pin with name='76192eb5-c02e-4cc5-964c-eb6d735ed5b2' - 🟢 SUCCESS

### Expectations (1/1 successful)

  🟢 Name matches name provided during creation (success)

## Pin's with requestid 'a1b2' can have cid 'bafkreiaaa' replaced with 'bafkreibbb' - 🟢 SUCCESS

### Expectations (1/1 successful)

  🟢 Could obtain requestid from new pin (a1b2) (success)
";

    #[test]
    fn a_report_gives_every_call_and_expectation_with_random_values_replaced() {
        let verdicts = from_report(REPORT).unwrap();
        let expected: BTreeSet<String> = [
            "fail  Request with no authentication token",
            "pass  Request with no authentication token / Response object matches api spec schema",
            "fail  Request with no authentication token / Response code is 401",
            "pass  Can create a pin with name='<name>'",
            "pass  Can create a pin with name='<name>' / Name matches name provided during creation",
            "pass  Pin's with requestid '<requestid>' can have cid '<cid>' replaced with '<cid>'",
            "pass  Pin's with requestid '<requestid>' can have cid '<cid>' replaced with '<cid>' / Could obtain requestid from new pin (<requestid>)",
        ]
        .into_iter()
        .map(str::to_string)
        .collect();
        assert_eq!(verdicts, expected);
    }

    #[test]
    fn an_unfinished_or_empty_report_is_an_error() {
        assert!(from_report("## Request - 🟢 SUCCESS\n").is_err());
        assert!(from_report("## Summary (0/0 successful)\n").is_err());
    }

    #[test]
    fn random_values_are_replaced_but_fixed_words_kept() {
        assert_eq!(
            normalise(
                "Can retrieve pin with name 'C02E-4CC5' via the 'iexact' TextMatchingStrategy"
            ),
            "Can retrieve pin with name '<name>' via the 'iexact' TextMatchingStrategy"
        );
        assert_eq!(
            normalise("Can create new pin for testing pagination cid='bafkreih'"),
            "Can create new pin for testing pagination cid='<cid>'"
        );
        assert_eq!(
            normalise("Pins post of CID 'bafy'"),
            "Pins post of CID '<cid>'"
        );
        // An unclosed value is left as it is.
        assert_eq!(normalise("name 'open"), "name 'open");
    }

    #[test]
    fn expected_files_keep_the_comments_above_each_failure() {
        let expected = parse_expected(
            "# header\n\npass  A\n# D3: no token answers 400\nfail  B\nfail  B / Response code is 401\npass  C\nfail  D\n",
        )
        .unwrap();
        assert_eq!(expected.verdicts.len(), 5);
        let d3 = vec!["D3: no token answers 400".to_string()];
        assert_eq!(
            expected.failures,
            vec![
                ("fail  B".to_string(), d3.clone()),
                ("fail  B / Response code is 401".to_string(), d3),
                ("fail  D".to_string(), vec![]),
            ]
        );
        assert!(parse_expected("pass  A\npass  A\n").is_err());
        assert!(parse_expected("passed A\n").is_err());
    }

    #[test]
    fn deviation_tags_are_found_in_comments() {
        assert_eq!(deviation_tags("D1 and D2: 200, not 202"), ["D1", "D2"]);
        assert!(deviation_tags("Delete answers OK; D is not a tag").is_empty());
    }

    #[test]
    fn differences_name_both_missing_and_unexpected_verdicts() {
        let expected: BTreeSet<String> = ["pass  A".to_string(), "pass  B".to_string()].into();
        let actual: BTreeSet<String> = ["pass  A".to_string(), "fail  B".to_string()].into();
        assert_eq!(
            differences(&expected, &actual),
            [
                "expected, not reported: pass  B",
                "reported, not expected: fail  B"
            ]
        );
    }
}
