"""The staff task queue and task pages. Officers and supervisors only."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.audit.services import record_read
from portal.auth.access import role_required
from portal.auth.roles import Role
from portal.auth.staff_names import staff_name
from portal.domain import DomainError
from portal.tasks import queries, services
from portal.tasks.due_times import DUE_TIMES
from portal.tasks.enums import OWED, Asker, TaskTeam, TaskType
from portal.tasks.forms import FINISH_ADVICE, AssignTaskForm, ClaimTaskForm, FinishTaskForm

bp = Blueprint("tasks", __name__, url_prefix="/staff/tasks")

# Who works on tasks: officers and supervisors on all of them, the Witness Care Unit on witness care's.
WORKERS = (Role.OFFICER, Role.SUPERVISOR, Role.WITNESS_CARE)
# Who reads a finished task's outcome, and where: by whether a partner raised it.
READER = {False: "The person who asked reads this on their case.",
          True: "The charity that raised it reads this on their referral page."}
FINISHED = {False: "Task finished. The person who asked can read the outcome on their case.",
            True: "Task finished. The charity that raised it can read the outcome on their referral page."}
TEAM_NAMES = {TaskTeam.CASE_OFFICER: "Case officer", TaskTeam.REVIEW: "Review team",
              TaskTeam.CONTACT: "Contact team", TaskTeam.SAFEGUARDING: "Safeguarding",
              TaskTeam.WITNESS_CARE: "Witness care"}
SHOW_NAMES = {"all": "All owed tasks", "mine": "Mine", "unassigned": "Not yet taken", "overdue": "Overdue",
              "due_today": "Due today"}


def _choice(value, allowed):
    return value if value in allowed else None


@bp.route("/")
@role_required(*WORKERS)
def queue():
    """Every owed task, the oldest due first, with filters and counts."""
    args = request.args
    filters = queries.TaskFilters(
        type=TaskType(args["type"]) if _choice(args.get("type"), set(TaskType)) else None,
        team=TaskTeam(args["team"]) if _choice(args.get("team"), set(TaskTeam)) else None,
        show=_choice(args.get("show"), queries.SHOWS) or "all",
        only_team=TaskTeam.WITNESS_CARE if current_user.role == Role.WITNESS_CARE else None,
    )
    page = queries.task_queue(filters, current_user, args.get("page", 1, type=int))
    if filters.only_team is not None:  # the filters and the due times of that team's kinds of task only
        due_times = {kind: row for kind, row in DUE_TIMES.items() if row.team == filters.only_team}
        teams = {filters.only_team: TEAM_NAMES[filters.only_team]}
    else:
        due_times, teams = DUE_TIMES, TEAM_NAMES
    return render_template("tasks/queue.html", queue=page, due_times=due_times, teams=teams,
                           shows=SHOW_NAMES, claim_form=ClaimTaskForm())


def _task_or_404(task_id: int):
    """The task, if this person may work on it (the Witness Care Unit sees witness care's only): else 404."""
    task = queries.task(task_id)
    if task is None or not services.may_work_on(task, current_user):
        abort(404)
    return task


def _assign_form(task) -> AssignTaskForm | None:
    if current_user.role != Role.SUPERVISOR or task.status not in OWED:
        return None
    form = AssignTaskForm()
    form.officer.choices = [("", "Choose an officer")] + [
        (str(officer.id), staff_name(officer)) for officer in queries.police_officers()
        if officer.id != task.decided_by_id]
    return form


@bp.route("/<int:task_id>", methods=["GET", "POST"])
@role_required(*WORKERS)
def task(task_id: int):
    """One task: what was asked, by when and why, and finishing it with an outcome."""
    found = _task_or_404(task_id)
    form = FinishTaskForm()
    form.outcome.description = f"{READER[found.asker == Asker.PARTNER]} {FINISH_ADVICE}"
    if form.validate_on_submit():
        try:
            services.finish_task(current_user, found.id, form.result.data == "done", form.outcome.data)
        except DomainError as error:
            getattr(form, error.field or "outcome").errors.append(error.message)
        else:
            flash(FINISHED[found.asker == Asker.PARTNER], "success")
            return redirect(url_for("tasks.queue"))
    page = render_template("tasks/task.html", task=found, due=DUE_TIMES[found.type], teams=TEAM_NAMES, form=form,
                           claim_form=ClaimTaskForm(), assign_form=_assign_form(found),
                           overdue=queries.overdue_since(found), asked_by=queries.asked_by(found))
    record_read(current_user.id, "task.viewed", "task", str(found.id))
    return page


@bp.route("/<int:task_id>/claim", methods=["POST"])
@role_required(*WORKERS)
def claim(task_id: int):
    """Take the task."""
    found = _task_or_404(task_id)
    if not ClaimTaskForm().validate_on_submit():
        abort(400)
    try:
        services.claim_task(current_user, found.id)
    except DomainError as error:
        flash(error.message, "information")
    else:
        flash("You have taken this task.", "success")
    return redirect(url_for("tasks.task", task_id=task_id))


@bp.route("/<int:task_id>/assign", methods=["POST"])
@role_required(Role.SUPERVISOR)
def assign(task_id: int):
    """A supervisor gives the task to an officer."""
    found = _task_or_404(task_id)
    form = _assign_form(found)
    if form is None:
        abort(400)
    if form.validate_on_submit():
        try:
            services.assign_task(current_user, found.id, int(form.officer.data))
        except DomainError as error:
            flash(error.message, "information")
        else:
            flash("Task assigned.", "success")
    else:
        flash("Select an active officer", "information")
    return redirect(url_for("tasks.task", task_id=task_id))
