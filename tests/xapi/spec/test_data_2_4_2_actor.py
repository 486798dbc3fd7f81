"""Data 2.4.2 Actor: Agents, Groups, Inverse Functional Identifiers, Account Objects."""

import pytest

from lms.xapi.spec import validate_statement

ACCOUNT = {"homePage": "http://www.example.com", "name": "1625378"}
SHA1 = "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"


@pytest.mark.parametrize(
    "actor",
    [
        {"mbox": "mailto:xapi@adlnet.gov"},
        {"objectType": "Agent", "name": "Ena Hills", "mbox_sha1sum": SHA1},
        {"openid": "http://toby.openid.example.org/"},
        {"objectType": "Agent", "account": ACCOUNT},
    ],
)
def test_data_2_4_2_1_agent_with_one_ifi_is_valid(statement, actor):
    statement["actor"] = actor
    validate_statement(statement)


def test_data_2_4_2_1_s2_b1_agent_must_have_an_ifi(statement, reject):
    statement["actor"] = {"objectType": "Agent", "name": "No Identifier"}
    reject(statement, "statement.actor", says="must be identified by one of")


def test_data_2_4_2_1_s2_b2_agent_must_not_have_two_ifis(statement, reject):
    statement["actor"] = {"mbox": "mailto:a@example.com", "openid": "http://a.example.com/"}
    reject(statement, "statement.actor", says="'mbox' and 'openid'")


def test_data_2_4_2_1_agent_objecttype_must_be_agent_or_group(statement, reject):
    statement["actor"] = {"objectType": "agent", "mbox": "mailto:a@example.com"}
    reject(statement, "statement.actor.objectType", says="'Agent' or 'Group'")


def test_data_2_4_2_1_agent_name_must_be_string(statement, reject):
    statement["actor"]["name"] = 42
    reject(statement, "statement.actor.name", says="must be a string")


def test_data_2_4_2_1_agent_must_not_have_members(statement, reject):
    statement["actor"]["member"] = []
    reject(statement, "statement.actor.member", says="not a property")


@pytest.mark.parametrize(
    "mbox", ["xapi@adlnet.gov", "mailto:", "mailto:no-at-sign", "http://example.com", ""]
)
def test_data_2_4_2_3_mbox_must_be_mailto_iri(statement, reject, mbox):
    statement["actor"] = {"mbox": mbox}
    reject(statement, "statement.actor.mbox", says="mailto")


@pytest.mark.parametrize("value", ["abc", SHA1 + "0", "z" * 40, 12345])
def test_data_2_4_2_3_mbox_sha1sum_must_be_40_hex(statement, reject, value):
    statement["actor"] = {"mbox_sha1sum": value}
    reject(statement, "statement.actor.mbox_sha1sum")


def test_data_2_4_2_3_openid_must_be_uri(statement, reject):
    statement["actor"] = {"openid": "toby.openid.example.org"}
    reject(statement, "statement.actor.openid", says="absolute URI")


def test_data_2_4_2_4_account_homepage_required(statement, reject):
    statement["actor"] = {"account": {"name": "1625378"}}
    reject(statement, "statement.actor.account.homePage", says="is required")


def test_data_2_4_2_4_account_name_required(statement, reject):
    statement["actor"] = {"account": {"homePage": "http://www.example.com"}}
    reject(statement, "statement.actor.account.name", says="is required")


def test_data_2_4_2_4_account_name_must_be_string(statement, reject):
    statement["actor"] = {"account": {"homePage": "http://www.example.com", "name": {"k": 1}}}
    reject(statement, "statement.actor.account.name", says="must be a string")


def test_data_2_4_2_4_account_homepage_must_be_irl(statement, reject):
    statement["actor"] = {"account": {"homePage": "www.example.com", "name": "x"}}
    reject(statement, "statement.actor.account.homePage", says="IRL")


def test_data_2_4_2_4_account_unknown_property_rejected(statement, reject):
    statement["actor"] = {"account": {**ACCOUNT, "id": "1"}}
    reject(statement, "statement.actor.account.id", says="not a property")


def test_data_2_4_2_2_identified_group_without_members_is_valid(statement):
    statement["actor"] = {"objectType": "Group", "account": ACCOUNT}
    validate_statement(statement)


def test_data_2_4_2_2_anonymous_group_with_members_is_valid(statement):
    statement["actor"] = {
        "objectType": "Group",
        "name": "Team",
        "member": [{"mbox": "mailto:a@example.com"}, {"objectType": "Agent", "account": ACCOUNT}],
    }
    validate_statement(statement)


def test_data_2_4_2_2_s4_b1_anonymous_group_must_have_members(statement, reject):
    statement["actor"] = {"objectType": "Group", "name": "Nobody"}
    reject(statement, "statement.actor.member", says="Anonymous Group")


def test_data_2_4_2_2_s4_b1_anonymous_group_empty_member_list_rejected(statement, reject):
    statement["actor"] = {"objectType": "Group", "member": []}
    reject(statement, "statement.actor.member", says="must list its member Agents")


def test_data_2_4_2_2_s4_b2_anonymous_group_must_not_contain_groups(statement, reject):
    statement["actor"] = {
        "objectType": "Group",
        "member": [{"objectType": "Group", "mbox": "mailto:g@example.com"}],
    }
    reject(statement, "statement.actor.member[0].objectType", says="not Groups")


def test_data_2_4_2_2_s5_b2_identified_group_must_not_contain_groups(statement, reject):
    statement["actor"] = {
        "objectType": "Group",
        "mbox": "mailto:team@example.com",
        "member": [
            {"mbox": "mailto:a@example.com"},
            {"objectType": "Group", "member": [{"mbox": "mailto:b@example.com"}]},
        ],
    }
    reject(statement, "statement.actor.member[1].objectType", says="not Groups")


def test_data_2_4_2_2_s5_b1_identified_group_exactly_one_ifi(statement, reject):
    statement["actor"] = {
        "objectType": "Group",
        "mbox": "mailto:team@example.com",
        "account": ACCOUNT,
    }
    reject(statement, "statement.actor", says="exactly one identifier")


def test_data_2_4_2_2_group_member_must_be_valid_agent(statement, reject):
    statement["actor"] = {"objectType": "Group", "member": [{"name": "no ifi"}]}
    reject(statement, "statement.actor.member[0]", says="must be identified")


def test_data_2_4_2_2_group_member_must_be_array(statement, reject):
    statement["actor"] = {"objectType": "Group", "member": {"mbox": "mailto:a@example.com"}}
    reject(statement, "statement.actor.member", says="must be an array")
