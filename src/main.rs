//! The `origanctl` binary: parse the command line, run it, map the outcome to
//! an exit code. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;

// mimalloc instead of the system allocator: template rendering makes many
// small short-lived allocations, and glibc's malloc/free cost about a
// quarter of the instructions of `origanctl template`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = origanctl::cli::Cli::parse();
    match origanctl::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`origanctl template ... | head`) is not an error.
            if let Some(io) = err.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("Error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
