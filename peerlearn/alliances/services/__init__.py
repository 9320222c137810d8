"""Writing learning alliances, one module per part:

- ``alliance``: the alliance itself, created and updated;
- ``stages``: its move through the Learning Guide's stages, and their checklists;
- ``members``: members and member organisations;
- ``invitations``: invitations, accepted or withdrawn;
- ``priorities``: priority reform areas;
- ``risks``: notes on the political context and risks;
- ``shared``: the closed-alliance rule and the record of changes every part keeps.

Callers import from here.
"""

from peerlearn.alliances.services.alliance import (
    EDITABLE_FIELDS,
    alliance_create,
    alliance_name_problems,
    alliance_update,
)
from peerlearn.alliances.services.invitations import (
    alliance_invite_email,
    alliance_invite_peer,
    alliance_member_invite_user,
    invitation_accept,
    invitation_accept_problems,
    invitation_withdraw,
)
from peerlearn.alliances.services.members import (
    alliance_member_add,
    alliance_member_leave,
    alliance_member_remove,
    alliance_member_role_set,
    alliance_organisation_add,
    alliance_organisation_join,
    alliance_organisation_leave,
)
from peerlearn.alliances.services.priorities import (
    alliance_priority_add,
    alliance_priority_create,
    alliance_priority_delete,
    alliance_priority_move,
    alliance_priority_update,
    priority_problems,
)
from peerlearn.alliances.services.risks import (
    risk_note_create,
    risk_note_delete,
    risk_note_update,
)
from peerlearn.alliances.services.shared import (
    alliance_change_record,
    alliance_closed_problems,
)
from peerlearn.alliances.services.stages import (
    alliance_stage_change,
    checklist_answers_save,
    checklist_open_questions,
    stage_move_problems,
)

__all__ = [
    "EDITABLE_FIELDS",
    "alliance_change_record",
    "alliance_closed_problems",
    "alliance_create",
    "alliance_invite_email",
    "alliance_invite_peer",
    "alliance_member_add",
    "alliance_member_invite_user",
    "alliance_member_leave",
    "alliance_member_remove",
    "alliance_member_role_set",
    "alliance_name_problems",
    "alliance_organisation_add",
    "alliance_organisation_join",
    "alliance_organisation_leave",
    "alliance_priority_add",
    "alliance_priority_create",
    "alliance_priority_delete",
    "alliance_priority_move",
    "alliance_priority_update",
    "alliance_stage_change",
    "alliance_update",
    "checklist_answers_save",
    "checklist_open_questions",
    "invitation_accept",
    "invitation_accept_problems",
    "invitation_withdraw",
    "priority_problems",
    "risk_note_create",
    "risk_note_delete",
    "risk_note_update",
    "stage_move_problems",
]
