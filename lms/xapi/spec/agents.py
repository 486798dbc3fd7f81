"""Agents, Groups and their identifiers (Data 2.4.2)."""

from __future__ import annotations

from typing import Any

from .primitives import (
    IRI_MAX_LENGTH,
    check_array,
    check_iri,
    check_irl,
    check_keys,
    check_mailto,
    check_object,
    check_sha1sum,
    check_string,
    fail,
)

# Data 2.4.2.3: the four Inverse Functional Identifiers, in the order keys are built.
IFI_PROPERTIES = ("mbox", "mbox_sha1sum", "openid", "account")
AGENT_PROPERTIES = frozenset({"objectType", "name", *IFI_PROPERTIES})
GROUP_PROPERTIES = AGENT_PROPERTIES | {"member"}
ACCOUNT_PROPERTIES = frozenset({"homePage", "name"})


def present_ifis(obj: dict) -> list[str]:
    """The IFI property names an Agent or Group object carries."""
    return [name for name in IFI_PROPERTIES if name in obj]


def validate_account(value: Any, path: str) -> None:
    """Data 2.4.2.4 Account Object: homePage (IRL) and name (string), both required."""
    obj = check_object(value, path)
    check_keys(obj, path, allowed=ACCOUNT_PROPERTIES, required=("homePage", "name"))
    check_irl(obj["homePage"], f"{path}.homePage")
    check_string(obj["name"], f"{path}.name")
    # The account is stored as one key, "account:<homePage>|<name>", in a column of
    # IRI_MAX_LENGTH characters: refuse what would not fit rather than fail at the database.
    room = IRI_MAX_LENGTH - len("account:|") - len(obj["homePage"])
    if len(obj["name"]) > room:
        fail(
            f"{path}.name",
            f"is {len(obj['name']):,} characters long; with this homePage this LRS stores "
            f"an account name of at most {max(room, 0):,}",
        )


def _validate_ifis(obj: dict, path: str, *, kind: str) -> int:
    """Data 2.4.2.3 Inverse Functional Identifier: each IFI has its format. Returns how many
    IFIs the object carries; the callers decide how many are allowed."""
    if "mbox" in obj:
        check_mailto(obj["mbox"], f"{path}.mbox")
    if "mbox_sha1sum" in obj:
        check_sha1sum(obj["mbox_sha1sum"], f"{path}.mbox_sha1sum")
    if "openid" in obj:
        check_iri(obj["openid"], f"{path}.openid", kind="URI")
    if "account" in obj:
        validate_account(obj["account"], f"{path}.account")
    names = present_ifis(obj)
    if len(names) > 1:
        listed = " and ".join(f"'{name}'" for name in names)
        fail(path, f"an {kind} must have exactly one identifier, but has {listed}")
    return len(names)


def validate_agent(value: Any, path: str) -> None:
    """Data 2.4.2.1: an Agent is identified by exactly one IFI (s2.b1, s2.b2); objectType,
    when present, is ``Agent``."""
    obj = check_object(value, path)
    check_keys(obj, path, allowed=AGENT_PROPERTIES)
    if "objectType" in obj and obj["objectType"] != "Agent":
        fail(f"{path}.objectType", f"must be 'Agent', got {obj['objectType']!r}")
    if "name" in obj:
        check_string(obj["name"], f"{path}.name")
    if _validate_ifis(obj, path, kind="Agent") == 0:
        fail(
            path,
            "an Agent must be identified by one of 'mbox', 'mbox_sha1sum', 'openid' or 'account'",
        )


def validate_group(value: Any, path: str) -> None:
    """Data 2.4.2.2: objectType ``Group`` is required; an Identified Group has exactly one
    IFI (s5.b1); an Anonymous Group lists its members (s4.b1); members are Agents, never
    Groups (s4.b2, s5.b2)."""
    obj = check_object(value, path)
    check_keys(obj, path, allowed=GROUP_PROPERTIES, required=("objectType",))
    if obj["objectType"] != "Group":
        fail(f"{path}.objectType", f"must be 'Group', got {obj['objectType']!r}")
    if "name" in obj:
        check_string(obj["name"], f"{path}.name")
    identified = _validate_ifis(obj, path, kind="Identified Group") == 1
    if "member" in obj:
        members = check_array(obj["member"], f"{path}.member")
        for index, member in enumerate(members):
            member_path = f"{path}.member[{index}]"
            if isinstance(member, dict) and member.get("objectType") == "Group":
                fail(f"{member_path}.objectType", "a Group's members must be Agents, not Groups")
            validate_agent(member, member_path)
    if not identified and not obj.get("member"):
        fail(
            f"{path}.member",
            "an Anonymous Group (one without an identifier) must list its member Agents",
        )


def validate_actor(value: Any, path: str) -> None:
    """Data 2.4.2 Actor: an Agent, or a Group when objectType says ``Group``. Also used for
    context.instructor (Data 2.4.6) and authority (Data 2.4.9)."""
    obj = check_object(value, path)
    object_type = obj.get("objectType", "Agent")
    if object_type is None:
        fail(f"{path}.objectType", "must not be null")
    if object_type == "Group":
        validate_group(obj, path)
    elif object_type == "Agent":
        validate_agent(obj, path)
    else:
        fail(f"{path}.objectType", f"must be 'Agent' or 'Group', got {object_type!r}")
