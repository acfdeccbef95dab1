//! A backend call a screen makes, as a value: the screen defines it (in its own folder), the runner
//! runs it on the client in a tokio task, and the answer comes back as [`Action::Reply`] to the
//! screen that asked, which knows what type it asked for and takes it out of the [`Reply`].
//!
//! So a new screen adds its calls in its own folder, not in `command.rs`; and a failed call is
//! retried by sending the very same value again.
//!
//! [`Action::Reply`]: super::action::Action::Reply

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use futures::future::BoxFuture;

use crate::client::{Client, ClientError};

/// The answer to a call: whatever type its screen asked for.
pub type Reply = Box<dyn Any + Send>;

/// One backend call. `run` may be called more than once (a retry after transient trouble), so a
/// POST carries the same `MS-RequestId` each time.
pub trait Call: fmt::Debug + Send + Sync + 'static {
    fn run(&self, client: Client) -> BoxFuture<'static, Result<Reply, ClientError>>;
    /// For tests and retries: the call as its concrete type.
    fn as_any(&self) -> &dyn Any;
}

/// A call shared between the command, its retries and its reply. Equal when it is the same call
/// (a retry), whatever it asks.
#[derive(Clone)]
pub struct CallBox(Arc<dyn Call>);

impl CallBox {
    pub fn new(call: impl Call) -> Self {
        Self(Arc::new(call))
    }
    pub fn run(&self, client: Client) -> BoxFuture<'static, Result<Reply, ClientError>> {
        self.0.run(client)
    }
    /// The call as `T`, if it is one (tests look at what a screen asked for).
    pub fn get<T: 'static>(&self) -> Option<&T> {
        self.0.as_any().downcast_ref()
    }
}

impl fmt::Debug for CallBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl PartialEq for CallBox {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}
impl Eq for CallBox {}

/// Boxes a call's answer.
pub fn reply<T: Send + 'static>(value: T) -> Reply {
    Box::new(value)
}

/// Implements [`Call`] for a type with an `async fn call(self, client: Client) ->
/// Result<T, ClientError>`-shaped body: `tui_call!(LoadUsers, |this, client| async move { ... })`.
#[macro_export]
macro_rules! tui_call {
    ($ty:ty, |$this:ident, $client:ident| $body:expr) => {
        impl $crate::tui::call::Call for $ty {
            fn run(
                &self,
                $client: $crate::client::Client,
            ) -> ::futures::future::BoxFuture<
                'static,
                Result<$crate::tui::call::Reply, $crate::client::ClientError>,
            > {
                let $this = self.clone();
                Box::pin(async move { ($body).await.map($crate::tui::call::reply) })
            }
            fn as_any(&self) -> &dyn ::std::any::Any {
                self
            }
        }
    };
}
