//! What keys do on the admin relationships screen, mode by mode.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keys::{Intent, LIST_KEYS, RESULT_KEYS, ResultIntent};
use super::{AdminScreen, Kind, Mode, View};
use crate::api::Permission;
use crate::tui::command::Command;
use crate::tui::keymap::lookup;
use crate::tui::model::CopyWhat;
use crate::tui::screens::Ctx;
use crate::tui::theme::Tone;
use crate::tui::widgets::confirm::ConfirmOutcome;
use crate::tui::widgets::picker::{PickItem, PickMode, Picker, PickerOutcome};

/// The filter is bounded: names are at most a few dozen characters.
const MAX_FILTER_CHARS: usize = 100;

impl AdminScreen {
    pub fn handle_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        if self.typing {
            return self.filter_key(ev);
        }
        match &mut self.mode {
            Mode::List => self.list_key(ev, ctx),
            Mode::Confirm { plan, dialog } => match dialog.on_key(ev) {
                ConfirmOutcome::Confirmed => {
                    let plan = (**plan).clone();
                    self.start(plan, ctx);
                }
                ConfirmOutcome::Cancelled => {
                    self.mode = Mode::List;
                    self.note = Some(("Nothing sent".into(), Tone::Normal));
                }
                ConfirmOutcome::Busy => {}
            },
            Mode::PickGroup(picker) => match picker.on_key(ev) {
                PickerOutcome::Chosen(ix) => self.group_chosen(ix.first().copied()),
                PickerOutcome::Cancelled => self.mode = Mode::List,
                PickerOutcome::Refused(why) => self.note = Some((why, Tone::Warn)),
                PickerOutcome::Stay => {}
            },
            Mode::PickRoles {
                group,
                roles,
                picker,
            } => match picker.on_key(ev) {
                PickerOutcome::Chosen(ix) if ix.is_empty() => {
                    self.note = Some(("Mark at least one role with Space".into(), Tone::Warn));
                }
                PickerOutcome::Chosen(ix) => {
                    let kind = Kind::AssignGroup {
                        group_id: group.id.clone(),
                        group_name: crate::tui::sanitize::sanitize(&group.display_name)
                            .into_owned(),
                        roles: ix.iter().filter_map(|&i| roles.get(i).cloned()).collect(),
                    };
                    self.mode = Mode::List;
                    self.confirm(kind);
                }
                PickerOutcome::Cancelled => self.mode = Mode::List,
                PickerOutcome::Refused(why) => self.note = Some((why, Tone::Warn)),
                PickerOutcome::Stay => {}
            },
            Mode::Results { .. } => self.results_key(ev, ctx),
        }
    }

    /// `Esc`/`q`: out of the mode or the filter, else off the screen. False when it closes.
    pub fn step_back(&mut self) -> bool {
        if self.typing {
            self.typing = false;
            self.list.set_filter("");
            return true;
        }
        match self.mode {
            Mode::List if !self.list.filter().is_empty() => {
                self.list.set_filter("");
                true
            }
            Mode::List => false,
            _ => {
                self.mode = Mode::List;
                true
            }
        }
    }

    fn filter_key(&mut self, ev: &KeyEvent) {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let mut text = self.list.filter().to_string();
        match ev.code {
            KeyCode::Enter => {
                self.typing = false;
                return;
            }
            KeyCode::Esc => {
                self.typing = false;
                text.clear();
            }
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Down => return self.list.move_by(1),
            KeyCode::Up => return self.list.move_by(-1),
            KeyCode::Char('u') if ctrl => text.clear(),
            KeyCode::Char(c)
                if !ctrl
                    && !ev.modifiers.contains(KeyModifiers::ALT)
                    && text.chars().count() < MAX_FILTER_CHARS =>
            {
                text.push(c)
            }
            _ => return,
        }
        self.list.set_filter(&text);
    }

    pub fn paste_filter(&mut self, text: &str) {
        if self.typing {
            let mut filter = self.list.filter().to_string();
            let room = MAX_FILTER_CHARS.saturating_sub(filter.chars().count());
            filter.extend(text.chars().filter(|c| !c.is_control()).take(room));
            self.list.set_filter(&filter);
        }
    }

    fn may(&mut self, ctx: &mut Ctx) -> bool {
        match ctx.allowed(Permission::AdminRelationshipsManage) {
            Ok(()) => true,
            Err(why) => {
                self.note = Some((why, Tone::Warn));
                false
            }
        }
    }

    fn list_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        let Some(intent) = lookup(LIST_KEYS, ev).map(|b| b.intent) else {
            return;
        };
        self.note = None;
        let page = self.rows_in_view.max(1) as isize;
        let busy = self.run.is_some();
        match intent {
            Intent::Down => self.list.move_by(1),
            Intent::Up => self.list.move_by(-1),
            Intent::PageDown => self.list.move_by(page),
            Intent::PageUp => self.list.move_by(-page),
            Intent::Top => self.list.move_by(isize::MIN / 2),
            Intent::Bottom => self.list.move_by(isize::MAX / 2),
            Intent::NextView => self.list.set_view(self.list.view.next()),
            Intent::PreviousView => self.list.set_view(self.list.view.previous()),
            Intent::View(i) => self.list.set_view(View::ALL[i.min(View::ALL.len() - 1)]),
            Intent::Filter => self.typing = true,
            Intent::Mark => {
                if let Err(why) = self.list.toggle_mark() {
                    self.note = Some((why.into(), Tone::Warn));
                } else {
                    self.list.move_by(1);
                }
            }
            Intent::MarkAll => {
                let added = self.list.mark_all_in_view();
                self.note = Some((
                    format!("Marked {added} more; {} marked", self.list.marked_count()),
                    Tone::Normal,
                ));
            }
            Intent::ClearMarks => self.list.clear_marks(),
            Intent::Reload => self.reload(ctx),
            Intent::CopyLink => match self
                .list
                .selected_rel()
                .and_then(|r| r.approval_url.clone())
            {
                Some(link) => ctx.commands.push(Command::Copy {
                    what: CopyWhat::Link,
                    text: link.into(),
                }),
                None => {
                    self.note = Some((
                        "Only a relationship pending approval has a link".into(),
                        Tone::Warn,
                    ))
                }
            },
            _ if busy => {
                self.note = Some((
                    "A bulk action is running: wait for its results".into(),
                    Tone::Warn,
                ))
            }
            Intent::AutoExtend if self.may(ctx) => self.confirm(Kind::AutoExtend),
            Intent::Terminate if self.may(ctx) => self.confirm(Kind::Terminate),
            Intent::RequestAgain if self.may(ctx) => self.confirm(Kind::RequestAgain),
            Intent::AssignGroup if self.may(ctx) => self.pick_group(ctx),
            _ => {}
        }
    }

    /// The group is chosen: the roles the marked relationships grant, to pick among.
    fn group_chosen(&mut self, index: Option<usize>) {
        let Some(group) = index.and_then(|i| self.groups.as_ref()?.get(i).cloned()) else {
            return;
        };
        let mut roles: Vec<String> = Vec::new();
        for r in self.list.marked() {
            for id in r.roles.ids() {
                if !roles.iter().any(|have| have == id) {
                    roles.push(id.to_string());
                }
            }
        }
        let items = roles
            .iter()
            .map(|id| {
                let item = PickItem::new(crate::api::gdap::roles::name_of(id));
                match crate::api::gdap::roles::find(id) {
                    Some(info) => item.detail(info.description),
                    None => item,
                }
            })
            .collect();
        self.mode = Mode::PickRoles {
            group,
            roles,
            picker: Box::new(Picker::new(items, PickMode::Many)),
        };
    }

    fn results_key(&mut self, ev: &KeyEvent, ctx: &mut Ctx) {
        let page = self.rows_in_view.max(1) as isize;
        let Mode::Results { run, top } = &mut self.mode else {
            return;
        };
        let last = run.results.len().saturating_sub(1);
        let mut scroll = |by: isize| *top = top.saturating_add_signed(by).min(last);
        match lookup(RESULT_KEYS, ev).map(|b| b.intent) {
            Some(ResultIntent::Down) => scroll(1),
            Some(ResultIntent::Up) => scroll(-1),
            Some(ResultIntent::PageDown) => scroll(page),
            Some(ResultIntent::PageUp) => scroll(-page),
            Some(ResultIntent::CopyLinks) => {
                let links = run.links();
                if links.is_empty() {
                    self.note = Some(("No new approval links in these results".into(), Tone::Warn));
                } else {
                    ctx.commands.push(Command::Copy {
                        what: CopyWhat::ApprovalLinks,
                        text: links,
                    });
                }
            }
            Some(ResultIntent::Draft) => {
                let row = run.results.get(*top);
                let opened = match (
                    row.and_then(|r| r.link.clone()),
                    row.and_then(|r| r.request.clone()),
                    ctx.me,
                ) {
                    (Some(link), Some(request), Some(me)) => {
                        crate::tui::screens::invitation::InvitationScreen::approval(
                            me, ctx.body, &link, request,
                        )
                    }
                    (_, _, None) => Err("still signing in".to_string()),
                    _ => Err("This row has no new approval link".to_string()),
                };
                match opened {
                    Ok(draft) => ctx.open(draft),
                    Err(why) => self.note = Some((why, Tone::Warn)),
                }
            }
            Some(ResultIntent::Close) => self.mode = Mode::List,
            None => {}
        }
    }
}
