//! Draws the invitation-draft screen: the link on a highlighted line of its own above the email
//! (always in view), the subject, then the body (scrolls); or the reseller picker, the editor with
//! its refusal, the loading and the failure states. Pure: borrows the screen, draws, nothing else.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::keys::REFUSAL_KEYS;
use super::layout::{DEMO_NOTE, LINK_LABEL, body_rows, link_rows, note_rows};
use super::{InvitationScreen, Ready, Stage};
use crate::tui::theme::{Theme, Tone};
use crate::tui::widgets::centered;
use crate::tui::widgets::text::truncate;

pub struct InvitationView<'a> {
    pub screen: &'a InvitationScreen,
    pub theme: Theme,
    pub spinner: &'a str,
}

impl Widget for &InvitationView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 {
            return;
        }
        let t = self.theme;
        match self.screen.stage() {
            Stage::Loading(_) => self.message(
                area,
                buf,
                &[(
                    format!("{} Getting your personalized link…", self.spinner),
                    Tone::Normal,
                )],
            ),
            Stage::LoadingLink { reseller, .. } => {
                let name = self
                    .screen
                    .resellers()
                    .get(*reseller)
                    .map_or("", |r| r.name.as_str());
                self.message(
                    area,
                    buf,
                    &[(
                        format!("{} Getting the link for {name}…", self.spinner),
                        Tone::Normal,
                    )],
                );
            }
            Stage::Failed(why) => self.message(
                area,
                buf,
                &[
                    (
                        format!("Could not get the invitation link: {why}"),
                        Tone::Bad,
                    ),
                    (String::new(), Tone::Normal),
                    (
                        "Ctrl-R tries again · Esc goes back to the list".into(),
                        Tone::Dim,
                    ),
                ],
            ),
            Stage::Picking { cursor, .. } => self.picker(*cursor, area, buf),
            Stage::Ready(ready) => match &ready.editor {
                Some(editor) => {
                    let title = " Editing the draft: Esc when done; the link must stay in it";
                    line(buf, area, 0, title, t.label());
                    let text = Rect {
                        y: area.y + 1,
                        height: area.height.saturating_sub(1),
                        ..area
                    };
                    let block = Block::bordered().border_style(t.tone(Tone::Dim));
                    let inner = block.inner(text);
                    block.render(text, buf);
                    editor.text_area().render(inner, buf);
                    if editor.is_refused() {
                        refusal(&ready.draft.link, t, text, buf);
                    }
                }
                None => self.draft(ready, area, buf),
            },
        }
    }
}

impl InvitationView<'_> {
    fn message(&self, area: Rect, buf: &mut Buffer, lines: &[(String, Tone)]) {
        let title = match self.screen.customer() {
            Some(c) => format!(" Restore the relationship of {}", c.name),
            None => " Request a reseller relationship".to_string(),
        };
        line(buf, area, 0, &title, self.theme.label());
        let text: Vec<Line> = lines
            .iter()
            .map(|(s, tone)| Line::styled(format!(" {s}"), self.theme.tone(*tone)))
            .collect();
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .render(below(area, 2), buf);
    }

    fn picker(&self, cursor: usize, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        line(
            buf,
            area,
            0,
            " Request a reseller relationship: choose an indirect reseller",
            t.label(),
        );
        line(
            buf,
            area,
            1,
            " The link can bind one of your indirect resellers; the customer then buys through them.",
            t.tone(Tone::Dim),
        );
        let partner = &self.screen.signer().partner;
        let none = format!("None: a direct relationship with {partner}");
        let names = std::iter::once(none.as_str())
            .chain(self.screen.resellers().iter().map(|r| r.name.as_str()));
        let list = below(area, 3);
        let skip = cursor.saturating_sub(usize::from(list.height).saturating_sub(1));
        for ((i, name), y) in names.enumerate().skip(skip).zip(list.top()..list.bottom()) {
            let (marker, style) = if i == cursor {
                ("▸ ", t.selected())
            } else {
                ("  ", t.text())
            };
            let row = Rect {
                y,
                height: 1,
                ..list
            };
            buf.set_style(row, style);
            let text = format!(" {marker}{name}");
            line(buf, row, 0, &text, style);
        }
    }

    fn draft(&self, ready: &Ready, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let title = match (self.screen.customer(), &ready.reseller) {
            _ if let Some(request) = self.screen.approval_request() => format!(
                " Admin access for {}: send this to a Global admin of the customer to approve",
                crate::tui::sanitize::sanitize(&request.customer)
            ),
            (Some(c), _) => format!(
                " Restores the relationship and admin permissions of {} (a link for it only)",
                c.name
            ),
            (None, Some(r)) => format!(
                " Invitation to a reseller relationship, with indirect reseller {}",
                r.name
            ),
            (None, None) => " Invitation to a reseller relationship (direct)".to_string(),
        };
        line(buf, area, 0, &title, t.label());
        let link = link_rows(ready, area.width);
        let mut y = 1;
        if link.labelled {
            let row = Rect {
                y: area.y + 1,
                height: 1.min(area.height.saturating_sub(1)),
                ..area
            };
            buf.set_line(
                row.x,
                row.y,
                &Line::from(vec![
                    Span::styled(LINK_LABEL, t.label()),
                    Span::styled(ready.draft.link.as_str(), t.selected()),
                ]),
                row.width,
            );
            y += 1;
        } else {
            // Nothing else on its rows, from the first column: easy to select with the mouse.
            for piece in &link.rows {
                line(buf, area, y, piece, t.key());
                y += 1;
            }
        }
        if note_rows(ready) > 0 {
            for note in DEMO_NOTE {
                line(buf, area, y, note, t.tone(Tone::Warn));
                y += 1;
            }
        }
        let subject = format!(" Subject  {}", ready.draft.subject);
        line(buf, area, y, &subject, t.text());
        let rule = "─".repeat(usize::from(area.width));
        line(buf, area, y + 1, &rule, t.tone(Tone::Dim));
        let body = below(area, y + 2);
        let rows = body_rows(ready, area.width);
        let first = ready
            .scroll
            .min(rows.len().saturating_sub(usize::from(body.height)));
        for ((text, is_link), y) in rows.into_iter().skip(first).zip(body.top()..body.bottom()) {
            let style = if is_link { t.key() } else { t.text() };
            line(
                buf,
                Rect {
                    y,
                    height: 1,
                    ..body
                },
                0,
                &format!(" {text}"),
                style,
            );
        }
    }
}

/// The refusal over the editor: why, the link on its own line, and the three ways on.
fn refusal(link: &str, t: Theme, area: Rect, buf: &mut Buffer) {
    let mut lines = vec![
        Line::styled(
            "Leaving is refused: the customer can only accept through this exact link,",
            t.text(),
        ),
        Line::styled("on a line of its own. It is missing or changed:", t.text()),
        Line::default(),
        Line::styled(link.to_string(), t.key()),
        Line::default(),
    ];
    for b in REFUSAL_KEYS {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<9}", b.shown), t.key()),
            Span::styled(b.help, t.text()),
        ]));
    }
    let width = lines
        .iter()
        .map(Line::width)
        .max()
        .unwrap_or(0)
        .saturating_add(4);
    let height = lines.len() + 2;
    let popup = centered(
        area,
        u16::try_from(width).unwrap_or(u16::MAX),
        u16::try_from(height).unwrap_or(u16::MAX),
    );
    Clear.render(popup, buf);
    let block = Block::bordered()
        .title(" The link is missing ")
        .border_style(t.tone(Tone::Bad));
    let inner = block.inner(popup);
    block.render(popup, buf);
    Paragraph::new(lines).wrap(Wrap { trim: false }).render(
        Rect {
            x: inner.x + 1,
            width: inner.width.saturating_sub(1),
            ..inner
        },
        buf,
    );
}

/// `area` less its first `n` lines.
fn below(area: Rect, n: u16) -> Rect {
    let n = n.min(area.height);
    Rect {
        y: area.y + n,
        height: area.height - n,
        ..area
    }
}

/// Writes `text` on line `dy` of `area`, cut to its width.
fn line(buf: &mut Buffer, area: Rect, dy: u16, text: &str, style: Style) {
    if dy >= area.height {
        return;
    }
    let cells = usize::from(area.width);
    buf.set_stringn(area.x, area.y + dy, truncate(text, cells), cells, style);
}
