//! Drawing the service requests list and the form; every backend string sanitized.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};

use super::ServiceRequestsScreen;
use crate::api::{ServiceRequestStatus, Severity};
use crate::tui::sanitize::sanitize;
use crate::tui::screens::Look;
use crate::tui::theme::Tone;

/// "3d", "5h", "12m", "now": how long ago `created` (RFC 3339) was at `read_at`.
pub fn age(created: &str, read_at: chrono::DateTime<chrono::Utc>) -> String {
    let Ok(then) = chrono::DateTime::parse_from_rfc3339(created) else {
        return "?".to_string();
    };
    let minutes = (read_at - then.with_timezone(&chrono::Utc))
        .num_minutes()
        .max(0);
    match minutes {
        0 => "now".to_string(),
        m if m < 60 => format!("{m}m"),
        m if m < 60 * 24 => format!("{}h", m / 60),
        m => format!("{}d", m / (60 * 24)),
    }
}

fn severity_tone(severity: Severity) -> Tone {
    match severity {
        Severity::Critical => Tone::Bad,
        Severity::Moderate => Tone::Warn,
        _ => Tone::Normal,
    }
}

pub fn draw_list(screen: &ServiceRequestsScreen, frame: &mut Frame, area: Rect, look: &Look) {
    let theme = look.theme;
    let name = sanitize(screen.customer().name()).into_owned();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" Service requests · {name} "));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(loaded) = &screen.loaded else {
        let text = format!("{} loading…", look.spinner);
        frame.render_widget(Paragraph::new(text).style(theme.text()), inner);
        return;
    };
    if loaded.items.is_empty() {
        let text = "No service requests yet. n opens one on the customer's behalf.";
        frame.render_widget(Paragraph::new(text).style(theme.tone(Tone::Dim)), inner);
        return;
    }
    let header = Row::new(["Title", "Severity", "Status", "Age"]).style(theme.column_titles());
    let rows = loaded.items.iter().enumerate().map(|(i, r)| {
        let tone = match r.status {
            ServiceRequestStatus::Closed => Tone::Dim,
            _ => severity_tone(r.severity),
        };
        let style = if i == screen.cursor {
            theme.selected()
        } else {
            theme.tone(tone)
        };
        Row::new([
            sanitize(&r.title).into_owned(),
            r.severity.as_str().to_string(),
            r.status.as_str().to_string(),
            age(&r.created_date, loaded.read_at),
        ])
        .style(style)
    });
    let widths = [
        Constraint::Fill(1),
        Constraint::Length(9),
        Constraint::Length(15),
        Constraint::Length(5),
    ];
    let table = Table::new(rows, widths).header(header).column_spacing(2);
    frame.render_widget(table, inner);
}
