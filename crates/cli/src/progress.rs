//! Progress bars on the terminal for long jobs (imports, exports, the demo, warming). When
//! stderr is not a terminal, indicatif draws nothing, so pipes and logs stay clean.

use grassroots_interchange::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Debug)]
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    pub fn new() -> Bar {
        Bar {
            bar: ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
        }
    }
}

impl Bar {
    /// Prints `line` on standard output without tearing the bar drawn on stderr.
    pub fn println(&self, line: &str) {
        self.bar.suspend(|| println!("{line}"));
    }
}

impl Progress for Bar {
    fn start(&self, phase: &str, total: Option<u64>) {
        let style = match total {
            Some(_) => ProgressStyle::with_template(
                "{msg:>24} [{bar:40.cyan/blue}] {human_pos}/{human_len} ({eta})",
            ),
            None => ProgressStyle::with_template("{msg:>24} {spinner} {human_pos}"),
        }
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        self.bar.set_style(style);
        self.bar.set_length(total.unwrap_or(0));
        self.bar.set_position(0);
        self.bar.set_message(phase.to_owned());
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
