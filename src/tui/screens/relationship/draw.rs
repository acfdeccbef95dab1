//! The dialog: the shared confirmation (`widgets::confirm`) naming the customer, what `y` does and
//! what it means, wrapped to the width there is (80 columns included); while the customer is read
//! or reloaded, or after a failure, a box of its own saying so.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::{ChangeDialog, Offer, Stage, Topic};
use crate::tui::theme::{Theme, Tone};
use crate::tui::widgets::centered;
use crate::tui::widgets::confirm::{Confirm, ConfirmView};

/// The widest the box gets: a sentence per line reads better than one long line.
const MAX_WIDTH: u16 = 76;

pub struct DialogView<'a> {
    pub dialog: &'a ChangeDialog,
    pub theme: Theme,
    pub spinner: &'static str,
}

/// What the box says: a title and paragraphs, each with its tone; the last says the keys.
struct Said {
    title: String,
    paragraphs: Vec<(String, Tone)>,
    keys: &'static str,
}

fn said(dialog: &ChangeDialog, spinner: &str) -> Said {
    let name = dialog.name();
    let waiting = |what: &str| Said {
        title: dialog_title(dialog),
        paragraphs: vec![(format!("{spinner} {what}"), Tone::Dim)],
        keys: "any key cancels",
    };
    match dialog.stage() {
        Stage::Reading(_) => waiting(&format!("Reading {name} as it is now…")),
        Stage::Reloading(_) => waiting(&format!(
            "{name} was changed by someone else: reloading it…"
        )),
        Stage::Failed(why) => Said {
            title: dialog_title(dialog),
            paragraphs: vec![(why.clone(), Tone::Bad)],
            keys: "any key closes",
        },
        Stage::Confirm(offer) => offer_text(name, offer),
        Stage::Sending { offer, .. } => {
            let mut text = offer_text(name, offer);
            text.keys = "sending…";
            text
        }
    }
}

fn dialog_title(dialog: &ChangeDialog) -> String {
    match dialog.topic() {
        Topic::Relationship => format!("Relationship with {}", dialog.name()),
        Topic::Purchase => format!("Purchase permission of {}", dialog.name()),
    }
}

fn offer_text(name: &str, offer: &Offer) -> Said {
    match offer {
        Offer::End { .. } => Said {
            title: format!("End the relationship with {name}?"),
            paragraphs: vec![
                (
                    format!("You can no longer sell to or manage {name}; its admin access ends."),
                    Tone::Warn,
                ),
                (
                    "You can reinstate the relationship later (x), but admin access then comes \
                     back only through a link bound to the customer (R) or an admin relationship."
                        .into(),
                    Tone::Normal,
                ),
            ],
            keys: "y end the relationship · any other key cancels",
        },
        Offer::Reinstate { .. } => Said {
            title: format!("Reinstate the relationship with {name}?"),
            paragraphs: vec![
                (
                    format!(
                        "The relationship with {name} was ended. Reinstating it lets you sell to and manage {name} again."
                    ),
                    Tone::Normal,
                ),
                (
                    "Admin access does not come back with it: only through a link bound to the \
                     customer (R) or an admin relationship."
                        .into(),
                    Tone::Warn,
                ),
            ],
            keys: "y reinstate · any other key cancels",
        },
        Offer::Purchase { allow, .. } => {
            let (now, then, keys) = if *allow {
                (
                    "no",
                    format!("Allow {name} to buy its own products?"),
                    "y allow · any other key cancels",
                )
            } else {
                (
                    "yes",
                    format!("Stop {name} from buying its own products?"),
                    "y stop it · any other key cancels",
                )
            };
            Said {
                title: format!("Purchase permission of {name}"),
                paragraphs: vec![
                    (
                        format!(
                            "{name} may buy its own products and services (Azure reservations, \
                             for one): {now}."
                        ),
                        Tone::Normal,
                    ),
                    (then, Tone::Warn),
                ],
                keys,
            }
        }
    }
}

/// The offer in the shared confirmation dialog: the question, the customer, what it means.
fn confirmation(dialog: &ChangeDialog, offer: &Offer, sending: bool) -> Confirm {
    let text = offer_text(dialog.name(), offer);
    let consequence = text
        .paragraphs
        .iter()
        .map(|(p, _)| p.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let action = match offer {
        Offer::End { .. } => "end the relationship",
        Offer::Reinstate { .. } => "reinstate",
        Offer::Purchase { allow: true, .. } => "allow",
        Offer::Purchase { allow: false, .. } => "stop it",
    };
    let subject = format!("{} ({})", dialog.name(), dialog.domain());
    let mut confirm =
        Confirm::new(text.title, subject, consequence, action).with_working_text("Sending…");
    confirm.set_working(sending);
    confirm
}

impl Widget for &DialogView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let offer = match self.dialog.stage() {
            Stage::Confirm(offer) => Some((offer, false)),
            Stage::Sending { offer, .. } => Some((offer, true)),
            _ => None,
        };
        if let Some((offer, sending)) = offer {
            let confirm = confirmation(self.dialog, offer, sending);
            let view = ConfirmView {
                confirm: &confirm,
                theme: self.theme,
                spinner: self.spinner,
            };
            return view.render(area, buf);
        }
        let t = self.theme;
        let text = said(self.dialog, self.spinner);
        let width = area.width.saturating_sub(4).clamp(20, MAX_WIDTH);
        // Inside the border, one column of padding each side.
        let inner_width = usize::from(width.saturating_sub(4)).max(10);
        let mut lines: Vec<Line> = Vec::new();
        for (i, (paragraph, tone)) in text.paragraphs.iter().enumerate() {
            if i > 0 {
                lines.push(Line::default());
            }
            for piece in textwrap::wrap(paragraph, inner_width) {
                lines.push(Line::from(Span::styled(piece.into_owned(), t.tone(*tone))));
            }
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(text.keys, t.key())));
        let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
        let popup = centered(area, width, height);
        Clear.render(popup, buf);
        let title = crate::tui::widgets::text::truncate(&text.title, inner_width);
        let block = Block::bordered()
            .title(format!(" {title} "))
            .border_style(t.tone(Tone::Warn));
        let inner = block.inner(popup);
        block.render(popup, buf);
        Paragraph::new(lines).render(
            Rect {
                x: inner.x + 1,
                width: inner.width.saturating_sub(2),
                ..inner
            },
            buf,
        );
    }
}
