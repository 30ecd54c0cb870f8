//! The live progress display of the cluster verbs on stderr.
//!
//! Owns how progress lines are shown: on a terminal, a table of the
//! resources not yet ready with their reasons (`deployment/gateway 1/2
//! available`), redrawn in place below the lines that stay (applied,
//! deleted, hooks, summaries, failures); otherwise every line as it comes,
//! one per change, for logs and CI. Does not own the lines themselves: the
//! actions and `origan_kube`'s waiter write them, and
//! [`origan_kube::parse_state_line`] tells readiness lines from the others.
//! Plain ANSI sequences (cursor to previous line, erase below); no
//! terminal library.

use std::io::{IsTerminal, Write};

/// The rows of the table: resources not yet ready, first seen first.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Table {
    rows: Vec<(String, String)>,
}

impl Table {
    /// Records the latest state of `resource`; `ready` takes it off.
    pub fn update(&mut self, resource: &str, state: &str) {
        let at = self.rows.iter().position(|(r, _)| r == resource);
        match (at, state == "ready") {
            (Some(i), true) => {
                self.rows.remove(i);
            }
            (Some(i), false) => self.rows[i].1 = state.to_string(),
            (None, true) => {}
            (None, false) => self.rows.push((resource.to_string(), state.to_string())),
        }
    }

    /// Takes `resource` off (it failed, and the failure stays as a line).
    pub fn remove(&mut self, resource: &str) {
        self.rows.retain(|(r, _)| r != resource);
    }

    /// The table as text, one `\n`-ended line each, cut to `width` columns
    /// so that no line wraps, and to `height` lines so that it never scrolls
    /// (the redraw moves the cursor back by the lines drawn): a heading, then
    /// `  RESOURCE  REASON` with the resource column aligned, then
    /// `  … and N more` when cut. Empty when nothing waits.
    pub fn render(&self, width: usize, height: usize) -> String {
        if self.rows.is_empty() {
            return String::new();
        }
        let n = self.rows.len();
        let mut out = cut(
            &format!("waiting for {n} resource{}:", if n == 1 { "" } else { "s" }),
            width,
        );
        out.push('\n');
        let col = self.rows.iter().map(|(r, _)| r.len()).max().unwrap_or(0);
        // Heading, rows, and the "more" line within the height.
        let room = height.saturating_sub(2).max(1);
        let shown = if n <= room { n } else { room - 1 };
        for (r, s) in &self.rows[..shown] {
            out.push_str(&cut(&format!("  {r:<col$}  {s}"), width));
            out.push('\n');
        }
        if shown < n {
            out.push_str(&cut(&format!("  … and {} more", n - shown), width));
            out.push('\n');
        }
        out
    }
}

/// The first `width - 1` characters (the last column is left free so a
/// full line never moves the cursor to the next one).
fn cut(s: &str, width: usize) -> String {
    s.chars().take(width.saturating_sub(1).max(1)).collect()
}

/// Writes progress lines to `out`, as a table when it is a terminal.
pub struct Display<W: Write + Send> {
    out: W,
    terminal: bool,
    width: usize,
    height: usize,
    table: Table,
    /// Lines the table occupies on screen now.
    drawn: usize,
}

impl<W: Write + Send> Display<W> {
    /// A display on `out`; `terminal` selects the table, `width` and
    /// `height` (the terminal's) bound it.
    pub fn new(out: W, terminal: bool, width: usize, height: usize) -> Self {
        Display {
            out,
            terminal,
            width,
            height,
            table: Table::default(),
            drawn: 0,
        }
    }

    /// Shows one progress line.
    pub fn line(&mut self, line: &str) {
        if !self.terminal {
            let _ = writeln!(self.out, "{line}");
            return;
        }
        let parsed = origan_kube::parse_state_line(line);
        if let Some((res, state)) = parsed
            && !state.starts_with("failed")
        {
            // A state the table already shows (or a resource it never
            // showed becoming ready): nothing to redraw.
            let before = self.table.clone();
            self.table.update(res, state);
            if self.table == before {
                return;
            }
        }
        let mut text = self.erase();
        match parsed {
            Some((res, state)) if state.starts_with("failed") => {
                self.table.remove(res);
                text.push_str(&cut(line, self.width));
                text.push('\n');
            }
            Some(_) => {}
            None => {
                text.push_str(line);
                text.push('\n');
            }
        }
        let table = self.table.render(self.width, self.height);
        self.drawn = table.lines().count();
        text.push_str(&table);
        let _ = self.out.write_all(text.as_bytes());
        let _ = self.out.flush();
    }

    /// Takes the table off the screen; the lines above it stay.
    pub fn finish(&mut self) {
        let text = self.erase();
        self.table = Table::default();
        let _ = self.out.write_all(text.as_bytes());
        let _ = self.out.flush();
    }

    /// The sequence moving the cursor back to where the table starts and
    /// erasing from there down (`CSI n F`, `CSI J`).
    fn erase(&mut self) -> String {
        let n = std::mem::take(&mut self.drawn);
        if n == 0 {
            String::new()
        } else {
            format!("\x1b[{n}F\x1b[J")
        }
    }

    /// The writer (tests).
    #[cfg(test)]
    fn into_inner(mut self) -> W
    where
        W: Default,
    {
        self.finish();
        std::mem::take(&mut self.out)
    }
}

impl<W: Write + Send> Drop for Display<W> {
    fn drop(&mut self) {
        if self.drawn > 0 {
            self.finish();
        }
    }
}

/// The progress callback of the cluster verbs: a table when stderr is a
/// terminal, one line per change otherwise. The table is taken off the
/// screen when the callback is dropped (the command ends).
pub fn printer() -> impl FnMut(&str) + Send {
    let stderr = std::io::stderr();
    // A terminal that cannot move the cursor gets the lines.
    let terminal = stderr.is_terminal() && !matches!(std::env::var("TERM").as_deref(), Ok("dumb"));
    let (width, height) = terminal_size::terminal_size_of(&stderr)
        .map(|(w, h)| (usize::from(w.0), usize::from(h.0)))
        .unwrap_or((80, 24));
    let mut display = Display::new(stderr, terminal, width, height);
    move |line: &str| display.line(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_what_is_not_ready_with_its_reason() {
        let mut t = Table::default();
        t.update("deployment/gateway", "rollout not yet observed");
        t.update("statefulset/postgres", "0/1 ready");
        t.update("deployment/gateway", "1/2 available");
        t.update("service/nats", "ready");
        assert_eq!(
            t.render(80, 24),
            "waiting for 2 resources:\n  deployment/gateway    1/2 available\n  statefulset/postgres  0/1 ready\n"
        );
        t.update("deployment/gateway", "ready");
        assert_eq!(
            t.render(20, 24),
            "waiting for 1 resou\n  statefulset/postg\n"
        );
        t.update("statefulset/postgres", "ready");
        assert_eq!(t.render(80, 24), "");
        for i in 0..10 {
            t.update(&format!("pod/p{i}"), "Pending");
        }
        // A 6-line terminal: heading, 3 rows, the rest counted; one line free.
        assert_eq!(
            t.render(80, 6),
            "waiting for 10 resources:\n  pod/p0  Pending\n  pod/p1  Pending\n  pod/p2  Pending\n  … and 7 more\n"
        );
    }

    #[test]
    fn terminal_redraws_in_place_and_ends_without_the_table() {
        let mut d = Display::new(Vec::<u8>::new(), true, 80, 24);
        d.line("deployment/gateway created");
        d.line("deployment/gateway 0/2 available");
        d.line("deployment/gateway 1/2 available");
        d.line("deployment/gateway ready");
        d.line("all 1 resources ready in 0.1s");
        let out = String::from_utf8(d.into_inner()).unwrap();
        assert_eq!(
            out,
            "deployment/gateway created\n\
             waiting for 1 resource:\n  deployment/gateway  0/2 available\n\
             \x1b[2F\x1b[Jwaiting for 1 resource:\n  deployment/gateway  1/2 available\n\
             \x1b[2F\x1b[J\
             all 1 resources ready in 0.1s\n"
        );
    }

    #[test]
    fn failures_stay_as_lines_and_the_table_is_erased_at_the_end() {
        let mut d = Display::new(Vec::<u8>::new(), true, 80, 24);
        d.line("job/migrate 0/1 complete");
        d.line("deployment/api 0/1 available");
        d.line("job/migrate failed: job migrate failed: BackoffLimitExceeded");
        let out = String::from_utf8(d.into_inner()).unwrap();
        assert!(
            out.contains("job/migrate failed: job migrate failed: BackoffLimitExceeded\nwaiting for 1 resource:\n  deployment/api  0/1 available\n")
                && out.ends_with("\x1b[2F\x1b[J"),
            "{out:?}"
        );
    }

    #[test]
    fn not_a_terminal_prints_every_line() {
        let mut d = Display::new(Vec::<u8>::new(), false, 80, 24);
        for l in [
            "service/x created",
            "deployment/x 0/1 available",
            "deployment/x ready",
        ] {
            d.line(l);
        }
        assert_eq!(
            String::from_utf8(d.into_inner()).unwrap(),
            "service/x created\ndeployment/x 0/1 available\ndeployment/x ready\n"
        );
    }
}
