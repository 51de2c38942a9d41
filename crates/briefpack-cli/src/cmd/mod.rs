//! One module per subcommand, each with its clap `Args` and a `run`.

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod distribute;
pub(crate) mod import;
pub(crate) mod new;
pub(crate) mod templates;
pub(crate) mod trace;
pub(crate) mod trash;
