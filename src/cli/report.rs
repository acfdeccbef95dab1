//! The one place a scripting command's failure is told: one line on stderr (a JSON object with
//! `--output json|jsonl`), and the exit code.

use serde_json::json;

use super::error::CliError;
use super::output::Format;

/// Writes `err` to stderr as one line, naming the request id a retry should pass.
pub fn report(err: &CliError, format: Format, retry_id: Option<&str>) {
    // Items that failed inside a bulk answer: a retry with the same id replays that answer.
    let retry_id = retry_id.filter(|_| !matches!(err, CliError::Items { .. }));
    let exit = err.exit();
    let message = err.to_string();
    if format.is_json() {
        let mut object = json!({
            "error": {
                "exitCode": exit.code(),
                "kind": exit.name(),
                "message": message,
            }
        });
        if let Some(status) = err.status() {
            object["error"]["status"] = json!(status);
        }
        if let Some(id) = retry_id {
            object["error"]["requestId"] = json!(id);
        }
        eprintln!("{object}");
        return;
    }
    // Backend text may hold line breaks or terminal controls: one clean line whatever it says.
    let message = crate::sanitize::sanitize_max(&message, 4096);
    match retry_id {
        Some(id) => eprintln!("cspdash: {message} (to retry safely: --request-id {id})"),
        None => eprintln!("cspdash: {message}"),
    }
}
