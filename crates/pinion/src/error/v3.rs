//! Pinata v3's error answers: `{"error":{"code":<status>,"message"}}` (read by the
//! shared decoder in [`super::answer`]), with what v3 adds: the `code` that only
//! repeats the HTTP status is dropped, a refused key is told what v3 takes, and a key
//! without the scope is told which `resources` scope the operation needs.

use http::{HeaderMap, StatusCode};

use super::Error;
use super::answer::from_answer;
use crate::scopes::Requirement;
use crate::scopes::Service;
use crate::scopes::pinata_v3::V3Operation;

/// What a v3 key must be, said when v3 refuses the credentials.
const V3_KEYS: &str = "Pinata v3 takes the JWT of a key with `resources` scopes (or an admin key); keys limited to legacy `endpoints` are refused there";

/// Turns an error answer of the v3 `operation` into an [`Error`].
pub(crate) fn from_v3_answer(
    service: Service,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    operation: V3Operation,
    redact: &dyn Fn(String) -> String,
) -> Error {
    match from_answer(
        service,
        status,
        headers,
        body,
        operation.capability(),
        redact,
    ) {
        Error::Unauthorized { service, message } => Error::Unauthorized {
            service,
            message: Some(joined(message, V3_KEYS.to_owned())),
        },
        Error::Forbidden {
            service,
            needed,
            message,
        } => {
            let scope = match operation.requirement() {
                Some(Requirement::Permission(scope)) => {
                    format!(
                        "{} needs the `{}` scope",
                        operation.operation_id(),
                        scope.name()
                    )
                }
                Some(Requirement::Admin) => {
                    format!("{} needs an admin key", operation.operation_id())
                }
                _ => format!("{} was refused", operation.operation_id()),
            };
            Error::Forbidden {
                service,
                needed,
                message: Some(joined(message, scope)),
            }
        }
        Error::Api {
            service,
            status,
            reason,
            details,
            message,
            body,
        } => Error::Api {
            service,
            status,
            // v3's `code` is the HTTP status again: keep only a code that says more.
            reason: reason.filter(|code| code != status.as_str()),
            details,
            message,
            body,
        },
        other => other,
    }
}

fn joined(message: Option<String>, hint: String) -> String {
    match message.filter(|m| !m.is_empty()) {
        Some(message) => format!("{message}; {hint}"),
        None => hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str, operation: V3Operation) -> Error {
        from_v3_answer(
            Service::Pinata,
            StatusCode::from_u16(status).unwrap(),
            &HeaderMap::new(),
            body.as_bytes(),
            operation,
            &|text| text,
        )
    }

    #[test]
    fn v3_errors_read_well() {
        let e = answer(
            404,
            r#"{"error":{"code":404,"message":"file not found"}}"#,
            V3Operation::GetFile,
        );
        assert_eq!(
            e.to_string(),
            "Pinata answered 404 Not Found: file not found"
        );
        let e = answer(
            401,
            r#"{"error":{"code":401,"message":"no Authorization header found"}}"#,
            V3Operation::UploadFile,
        );
        let text = e.to_string();
        assert!(text.contains("no Authorization header found"), "{text}");
        assert!(text.contains("`resources` scopes"), "{text}");
        let e = answer(
            403,
            r#"{"error":{"code":403,"message":"forbidden"}}"#,
            V3Operation::DeleteFile,
        );
        let text = e.to_string();
        assert!(text.contains("`org:files:write`"), "{text}");
        assert!(matches!(e, Error::Forbidden { .. }));
        // A code that is not the status stays.
        let e = answer(
            400,
            r#"{"error":{"code":"BAD_NETWORK","message":"no such network"}}"#,
            V3Operation::ListFiles,
        );
        assert!(e.to_string().contains("BAD_NETWORK"), "{e}");
    }
}
