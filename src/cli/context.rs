//! What every scripting command is handed: the signed-in client, the output, and the request id
//! that makes its writes safe to retry.

use super::output::Output;
use crate::client::Client;

pub struct Ctx {
    pub client: Client,
    pub out: Output,
    request_id: String,
    /// Whether the command sent (or was about to send) a write: its failure then names the
    /// request id a retry should pass.
    wrote: bool,
    /// The request id came from `--request-id`: the run is (or may be) a retry.
    given: bool,
}

impl Ctx {
    /// `request_id`: `--request-id`, or a new one for this run.
    pub fn new(client: Client, out: Output, request_id: String) -> Self {
        Self {
            client,
            out,
            request_id,
            wrote: false,
            given: false,
        }
    }

    /// Marks the request id as passed with `--request-id` rather than generated.
    pub fn with_given_request_id(mut self, given: bool) -> Self {
        self.given = given;
        self
    }

    /// Whether `--request-id` was passed: a command that keeps something of its first attempt
    /// (`users add --password-out`) may then take it up again.
    pub fn request_id_given(&self) -> bool {
        self.given
    }

    /// The `MS-RequestId` of the command's write. A command that sends several writes names
    /// each `step` (the first may use `""`): the backend refuses one key for two different
    /// requests, and a retry with the same `--request-id` then repeats every step safely.
    pub fn request_id(&mut self, step: &str) -> String {
        self.wrote = true;
        if step.is_empty() {
            self.request_id.clone()
        } else {
            format!("{}.{step}", self.request_id)
        }
    }

    /// The request id a failed write should be retried with, when the command wrote.
    pub fn retry_id(&self) -> Option<&str> {
        self.wrote.then_some(self.request_id.as_str())
    }
}
