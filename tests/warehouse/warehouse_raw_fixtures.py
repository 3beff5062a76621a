"""Hand-made raw-zone batches for the warehouse tests.

Follows docs/sources_and_raw_zone.md exactly: every source column as VARCHAR with the source's own
names (Chinese headers for the registry), plus ``_batch_id`` (text), ``_extracted_at`` (timestamp)
and ``_source_file`` (the file name for file sources, null for API and SQL sources).

Run as a script to write a raw zone for local dbt / sqlfluff runs::

    python tests/warehouse/warehouse_raw_fixtures.py /tmp/minzheng-dev
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sources.common import registry

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def id_number(first17: str, *, valid: bool = True) -> str:
    """A GB 11643 ID number with a correct (or deliberately wrong) check character."""
    check = CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]
    if not valid:
        check = "0" if check != "0" else "1"
    return first17 + check


# Clear personal data planted in the raw zone; none of it may appear outside staging.
PERSON_NAMES = [
    "张三丰",
    "李四光",
    "王五",
    "赵六",
    "钱七",
    "孙八",
    "周九",
    "吴十",
    "郑十一",
    "陈主任",
]
PHONES = ["13800000001", "13900000002", "13700000003", "13600000004", "13500000005"]
ID_NUMBERS = [
    id_number("32120219800101001"),
    id_number("32128119750505002"),
    id_number("32120319900909003", valid=False),
    id_number("32120419601212004"),
    id_number("32128219551111005"),
    id_number("32128119400303006"),
    id_number("32128219300404007"),
    id_number("32128319450606008"),
    # Payments, persons and older residents (indices 8-13); 8 carries the retired 姜堰市 code.
    id_number("32128419600101011"),
    id_number("32120219500202022"),
    id_number("32128319700303033"),
    id_number("32010219800404044"),
    id_number("32120319440505055"),
    id_number("32128119380606066"),
]


def write_batch(
    root: Path,
    source: str,
    entity: str,
    batch_id: str,
    rows: list[dict[str, str | None]],
    *,
    extracted_at: datetime,
    source_file: str | None = None,
) -> Path:
    columns = list(rows[0].keys())
    arrays: dict[str, pa.Array] = {
        name: pa.array([row.get(name) for row in rows], type=pa.string()) for name in columns
    }
    arrays["_batch_id"] = pa.array([batch_id] * len(rows), type=pa.string())
    arrays["_extracted_at"] = pa.array(
        [extracted_at] * len(rows), type=pa.timestamp("us", tz="UTC")
    )
    arrays["_source_file"] = pa.array([source_file] * len(rows), type=pa.string())
    table = pa.table(arrays)
    out = root / "raw" / source / entity / f"{batch_id}.parquet"
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out)
    return out


def _case(
    case_id: str,
    case_type: str,
    *,
    person: int,
    registered: str,
    handling: str | None,
    emergency: str | None,
    origin: str,
    status: str,
    applied: str,
    approved: str | None,
    updated: str,
) -> dict[str, str | None]:
    return {
        "case_id": case_id,
        "case_type": case_type,
        "temp_assistance_kind": "急难型" if case_type == "临时救助" else None,
        # Person 0 arrives padded with spaces: normalisation must trim before hashing.
        "applicant_id_number": f"  {ID_NUMBERS[person]} " if person == 0 else ID_NUMBERS[person],
        "applicant_name": PERSON_NAMES[person],
        "applicant_phone": PHONES[person % len(PHONES)],
        "household_id": f"HH{person:010d}",
        "registered_county_code": registered,
        "residence_village_code": "321202001002",
        "handling_county_code": handling,
        "emergency_county_code": emergency,
        "origin": origin,
        "discovery_channel": "网格员排查" if origin == "主动发现" else None,
        "case_status": status,
        "applied_date": applied,
        "approved_date": approved,
        "terminated_date": None,
        "monthly_amount": "850.00" if case_type != "临时救助" else None,
        "one_off_amount": "2000.00" if case_type == "临时救助" else None,
        "created_at": applied + "T09:00:00+08:00",
        "updated_at": updated + "+08:00",
    }


TEMP = "临时救助"


def write_smart_assistance(root: Path) -> None:
    batch1 = [
        # SA01: approved on 31 March; emergency 海陵 ≠ registered 兴化; handled at 海陵.
        _case(
            "SA0000000001",
            TEMP,
            person=0,
            registered="321281",
            handling="321202",
            emergency="321202",
            origin="依申请",
            status="已批准",
            applied="2024-03-20",
            approved="2024-03-31",
            updated="2024-03-31T18:00:00",
        ),
        # SA01: emergency in 高港 but handled by 海陵 (not at the place of emergency).
        _case(
            "SA0000000002",
            TEMP,
            person=1,
            registered="321202",
            handling="321202",
            emergency="321203",
            origin="主动发现",
            status="已批准",
            applied="2024-03-25",
            approved="2024-04-01",
            updated="2024-04-01T10:00:00",
        ),
        # SA01: emergency outside Taizhou (南京) -> not counted.
        _case(
            "SA0000000003",
            TEMP,
            person=2,
            registered="321203",
            handling="321203",
            emergency="320102",
            origin="依申请",
            status="已批准",
            applied="2024-02-01",
            approved="2024-02-10",
            updated="2024-02-10T10:00:00",
        ),
        # First version under review (updated later to approved in batch 2).
        _case(
            "SA0000000004",
            TEMP,
            person=3,
            registered="321204",
            handling="321204",
            emergency="321204",
            origin="主动发现",
            status="审核中",
            applied="2024-04-28",
            approved=None,
            updated="2024-05-01T10:00:00",
        ),
        # First version approved; corrected to 不予批准 in batch 2 -> not in SA01.
        _case(
            "SA0000000005",
            TEMP,
            person=4,
            registered="321282",
            handling="321202",
            emergency="321202",
            origin="依申请",
            status="已批准",
            applied="2024-06-01",
            approved="2024-06-05",
            updated="2024-06-05T10:00:00",
        ),
        _case(
            "SA0000000006",
            "低保",
            person=5,
            registered="321202",
            handling="321202",
            emergency=None,
            origin="主动发现",
            status="已批准",
            applied="2024-01-15",
            approved="2024-02-01",
            updated="2024-02-01T10:00:00",
        ),
        # Applied in the previous year -> not in 2024 YTD.
        _case(
            "SA0000000007",
            "特困",
            person=6,
            registered="321202",
            handling="321202",
            emergency=None,
            origin="依申请",
            status="已批准",
            applied="2023-12-31",
            approved="2024-01-10",
            updated="2024-01-10T10:00:00",
        ),
    ]
    batch2 = [
        _case(
            "SA0000000004",
            TEMP,
            person=3,
            registered="321204",
            handling="321204",
            emergency="321204",
            origin="主动发现",
            status="已批准",
            applied="2024-04-28",
            approved="2024-05-10",
            updated="2024-05-10T10:00:00",
        ),
        _case(
            "SA0000000005",
            TEMP,
            person=4,
            registered="321282",
            handling="321202",
            emergency="321202",
            origin="依申请",
            status="不予批准",
            applied="2024-06-01",
            approved=None,
            updated="2024-06-20T10:00:00",
        ),
    ]
    # The same window extracted twice lands the same rows again: dedup must absorb it.
    write_batch(
        root,
        "smart_assistance",
        "assistance_cases",
        "ac_b1",
        batch1,
        extracted_at=datetime(2024, 6, 10, 1, 0),
    )
    write_batch(
        root,
        "smart_assistance",
        "assistance_cases",
        "ac_b2",
        batch2 + batch1[:2],
        extracted_at=datetime(2024, 7, 1, 1, 0),
    )

    def survey(sub_id: str, village: str, month: str, updated: str) -> dict[str, str | None]:
        return {
            "submission_id": sub_id,
            "village_code": village,
            "survey_month": month,
            "left_behind_children": "3",
            "migrant_children": "1",
            "submitted_by_name": PERSON_NAMES[9],
            "submitted_at": updated + "+08:00",
            "updated_at": updated + "+08:00",
        }

    write_batch(
        root,
        "smart_assistance",
        "child_survey_submissions",
        "cs_b1",
        [
            survey("CS0000000001", "321202001002", "2024-03", "2024-03-05T10:00:00"),
            # A second submission of the same real village in the same month counts once.
            survey("CS0000000002", "321202001002", "2024-03", "2024-03-06T10:00:00"),
            # A virtual community (4xx) never counts.
            survey("CS0000000003", "321202406498", "2024-03", "2024-03-06T11:00:00"),
            survey("CS0000000004", "321203001001", "2024-03", "2024-03-07T10:00:00"),
        ],
        extracted_at=datetime(2024, 3, 10),
    )
    # CS4 corrected: it was April's survey.
    write_batch(
        root,
        "smart_assistance",
        "child_survey_submissions",
        "cs_b2",
        [
            survey("CS0000000004", "321203001001", "2024-04", "2024-04-02T10:00:00"),
        ],
        extracted_at=datetime(2024, 4, 10),
    )


def write_elderly_care(root: Path) -> None:
    def inst(iid: str, county: str, opened: str, closed: str | None, updated: str) -> dict:
        return {
            "institution_id": iid,
            "institution_name": f"{county}测试养老院{iid[-1]}",
            "institution_type": "公办养老机构",
            "county_code": county,
            "town_code": county + "001000",
            "credit_code": f"12321200MB{iid[-7:]}X",
            "opened_date": opened,
            "closed_date": closed,
            "updated_at": updated,
        }

    write_batch(
        root,
        "elderly_care",
        "institutions",
        "in_b1",
        [
            inst("YL00000001", "321202", "2020-01-01", None, "2023-01-01 00:00:00"),
            inst("YL00000002", "321202", "2024-05-01", None, "2024-05-01 00:00:00"),
            # Closed in February ...
            inst("YL00000003", "321203", "2019-01-01", "2024-02-01", "2024-02-01 09:00:00"),
            inst("YL00000004", "321204", "2018-01-01", None, "2018-01-01 00:00:00"),
            inst("YL00000005", "321281", "2024-01-10", None, "2024-01-10 00:00:00"),
        ],
        extracted_at=datetime(2024, 3, 1),
    )
    write_batch(
        root,
        "elderly_care",
        "institutions",
        "in_b2",
        [
            # ... reopened in April: reopening clears closed_date.
            inst("YL00000003", "321203", "2019-01-01", None, "2024-04-01 09:00:00"),
            # Closed on 30 September: not operating on that day.
            inst("YL00000004", "321204", "2018-01-01", "2024-09-30", "2024-09-30 09:00:00"),
        ],
        extracted_at=datetime(2024, 10, 1),
    )

    def change(cid: str, iid: str, eff: str, total: str, nursing: str) -> dict:
        return {
            "change_id": cid,
            "institution_id": iid,
            "effective_date": eff,
            "total_beds": total,
            "nursing_beds": nursing,
            "updated_at": eff + " 08:00:00",
        }

    write_batch(
        root,
        "elderly_care",
        "bed_capacity_changes",
        "bc_b1",
        [
            change("1", "YL00000001", "2023-06-01", "100", "50"),
            change("2", "YL00000001", "2024-03-31", "100", "70"),
            change("3", "YL00000002", "2024-05-01", "50", "50"),
            change("4", "YL00000003", "2019-01-01", "80", "20"),
            change("5", "YL00000003", "2024-06-15", "80", "60"),
            change("6", "YL00000004", "2018-01-01", "40", "10"),
            change("7", "YL00000005", "2024-01-10", "100", "100"),
        ],
        extracted_at=datetime(2024, 7, 1),
    )


def write_social_org_registry(root: Path) -> None:
    def org(code: str, authority: str, state: str, dereg: str | None, person: int) -> dict:
        return {
            "统一社会信用代码": code,
            "社会组织名称": f"泰州市测试协会{code[-2:]}",
            "社会组织类型": "社会团体",
            "登记管理机关代码": authority,
            "登记管理机关": "泰州市民政局" if authority == "321200" else "区民政局",
            "成立登记日期": "2015-05-05",
            "登记状态": state,
            "注销撤销日期": dereg,
            "是否慈善组织": "否",
            "法定代表人": PERSON_NAMES[person],
            "联系电话": PHONES[person % len(PHONES)],
        }

    jan = [
        org("51321202MJA00001XA", "321202", "正常", None, 0),
        org("51321202MJA00002XB", "321202", "正常", None, 1),
        org("51321203MJA00003XC", "321203", "正常", None, 2),
        org("51321200MJA00004XD", "321200", "正常", None, 3),
        org("51321200MJA00005XE", "321200", "正常", None, 4),
    ]
    dec = [*jan[:2], org("51321203MJA00003XC", "321203", "注销", "2024-08-01", 2), *jan[3:]]
    for name, rows, ts in [
        ("社会组织名录_20240131.xlsx", jan, datetime(2024, 2, 1)),
        # Not a month end: never a period's export.
        ("社会组织名录_20240615.xlsx", jan[:1], datetime(2024, 6, 16)),
        ("社会组织名录_20241231.xlsx", dec, datetime(2025, 1, 1)),
    ]:
        write_batch(
            root,
            "social_org_registry",
            "organizations",
            "org_" + name[7:15],
            rows,
            extracted_at=ts,
            source_file=name,
        )

    def grade(code: str, level: str, graded: str, until: str) -> dict:
        return {
            "统一社会信用代码": code,
            "社会组织名称": f"泰州市测试协会{code[-2:]}",
            "评估等级": level,
            "评估得分": "800",
            "评定日期": graded,
            "有效期至": until,
        }

    grades_jan = [
        # Expires mid-year.
        grade("51321202MJA00001XA", "3A", "2019-07-01", "2024-06-30"),
        grade("51321202MJA00002XB", "4A", "2022-01-01", "2027-01-01"),
        grade("51321203MJA00003XC", "2A", "2021-03-01", "2026-03-01"),
    ]
    grades_dec = [*grades_jan, grade("51321200MJA00005XE", "5A", "2024-11-01", "2029-10-31")]
    for name, rows, ts in [
        ("社会组织评估等级_20240131.csv", grades_jan, datetime(2024, 2, 1)),
        ("社会组织评估等级_20241231.csv", grades_dec, datetime(2025, 1, 1)),
    ]:
        write_batch(
            root,
            "social_org_registry",
            "evaluation_grades",
            "grd_" + name[9:17],
            rows,
            extracted_at=ts,
            source_file=name,
        )


def write_civil_registry(root: Path) -> None:
    def death(rid: str, version: str, person: int, reg: str, county: str, via: str) -> dict:
        return {
            "death_record_id": rid,
            "record_version": version,
            "deceased_id_number": ID_NUMBERS[person],
            "deceased_name": PERSON_NAMES[person],
            "sex": "男",
            "birth_date": "1940-03-03",
            "death_date": reg,
            "registration_date": reg,
            "registration_county_code": county,
            "cremated": "是",
            "via_96444": via,
            "funeral_home": "泰州市殡仪馆",
        }

    files = {
        "deaths_20240210.csv": [death("SW0000000001", "1", 5, "2024-02-10", "321281", "否")],
        # Corrected record: via 96444 after all.
        "deaths_20240215.csv": [death("SW0000000001", "2", 5, "2024-02-10", "321281", "是")],
        "deaths_20240305.csv": [death("SW0000000002", "1", 6, "2024-03-05", "321281", "否")],
        "deaths_20241231.csv": [death("SW0000000003", "1", 7, "2024-12-31", "321282", "是")],
        "deaths_20231230.csv": [death("SW0000000004", "1", 4, "2023-12-30", "321282", "是")],
        "deaths_20240501.csv": [death("SW0000000005", "1", 3, "2024-05-01", "321283", "否")],
        # Corrected registration county.
        "deaths_20240502.csv": [death("SW0000000005", "2", 3, "2024-05-01", "321281", "否")],
    }
    for name, rows in files.items():
        day = name[7:15]
        write_batch(
            root,
            "civil_registry",
            "deaths",
            "dt_" + day,
            rows,
            extracted_at=datetime(int(day[:4]), int(day[4:6]), int(day[6:])),
            source_file=name,
        )


def write_empty_batches(root: Path, columns: dict[tuple[str, str], list[str]]) -> None:
    """An empty batch with every source column, per entity: entities the hand-built fixtures
    leave out still exist, and columns they leave out read as null (union_by_name)."""
    for (source, entity), names in columns.items():
        folder = root / "raw" / source / entity
        fields = [pa.field(name, pa.string()) for name in names] + [
            pa.field("_batch_id", pa.string()),
            pa.field("_extracted_at", pa.timestamp("us", tz="UTC")),
            pa.field("_source_file", pa.string()),
        ]
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.schema(fields).empty_table(), folder / "empty.parquet")


# --- Entities the incremental facts read: a first batch, then a late batch ------------------------

FIRST_BATCH_AT = datetime(2025, 1, 5, 1, 0)
LATE_BATCH_AT = datetime(2025, 2, 1, 1, 0)


def _disabled_person(pid: str, person: int, household: str, grade: str, updated: str) -> dict:
    return {
        "person_id": pid,
        "id_number": ID_NUMBERS[person],
        "person_name": PERSON_NAMES[person % len(PERSON_NAMES)],
        "sex": "男",
        "birth_date": "1960-01-01",
        "registered_county_code": "321204",
        "residence_village_code": "321204001001",
        "household_category": household,
        "disability_grade": grade,
        "disability_type": "肢体",
        "disability_cert_date": "2015-06-01",
        "created_at": "2015-06-01T09:00:00+08:00",
        "updated_at": updated + "+08:00",
    }


def _payment(
    pid: str, person: int, subsidy: str, month: str, paid: str, amount: str, updated: str
) -> dict:
    return {
        "payment_id": pid,
        "recipient_id_number": ID_NUMBERS[person],
        "recipient_name": PERSON_NAMES[person % len(PERSON_NAMES)],
        "subsidy_type": subsidy,
        "case_id": None,
        "temp_assistance_kind": None,
        "payment_month": month,
        "amount": amount,
        "paying_county_code": "321204",
        "paid_date": paid,
        "created_at": paid + "T09:00:00+08:00",
        "updated_at": updated + "+08:00",
    }


def _resident(rid: str, person: int, village: str, birth: str, updated: str, **flags: str) -> dict:
    return {
        "resident_id": rid,
        "id_number": ID_NUMBERS[person],
        "resident_name": PERSON_NAMES[person % len(PERSON_NAMES)],
        "sex": "女",
        "birth_date": birth,
        "village_code": village,
        "living_alone": flags.get("living_alone", "是"),
        "left_behind": "否",
        "disabled": "否",
        "low_income": flags.get("low_income", "否"),
        "updated_at": updated,
    }


def _order(oid: str, rid: str, day: str, service: str, updated: str, purchased: str = "是") -> dict:
    return {
        "order_id": oid,
        "resident_id": rid,
        "provider_org_id": "FW70000001",
        "service_type": service,
        "service_date": day,
        "is_government_purchased": purchased,
        "order_status": "已完成",
        "amount": "60",
        "updated_at": updated,
    }


def _visit(vid: str, rid: str, day: str, updated: str) -> dict:
    return {
        "visit_id": vid,
        "resident_id": rid,
        "visit_date": day,
        "visit_method": "上门探访",
        "visitor_role": "网格员",
        "updated_at": updated,
    }


def _survey(sub_id: str, village: str | None, month: str, updated: str) -> dict:
    return {
        "submission_id": sub_id,
        "village_code": village,
        "survey_month": month,
        "left_behind_children": "2",
        "migrant_children": "0",
        "submitted_by_name": PERSON_NAMES[9],
        "submitted_at": updated + "+08:00",
        "updated_at": updated + "+08:00",
    }


def write_incremental_first_batch(root: Path) -> None:
    """Persons, payments, older residents, orders and visits as first extracted."""
    at = FIRST_BATCH_AT
    write_batch(
        root,
        "smart_assistance",
        "persons",
        "pe_b1",
        [
            _disabled_person("CJ0000000008", 8, "低保", "一级", "2024-01-01T09:00:00"),
            _disabled_person("CJ0000000009", 9, "一般", "二级", "2024-01-01T09:00:00"),
            _disabled_person("CJ0000000010", 10, "特困", "三级", "2024-01-01T09:00:00"),
        ],
        extracted_at=at,
    )
    care, living = "重度残疾人护理补贴", "困难残疾人生活补贴"
    write_batch(
        root,
        "smart_assistance",
        "subsidy_payments",
        "pm_b1",
        [
            _payment(
                "PM0000000001", 8, care, "2024-10", "2024-10-10", "100.00", "2024-10-10T09:00:00"
            ),
            # PM2 and PM3: two payments for person 8's November care subsidy (PM3 the repeat).
            _payment(
                "PM0000000002", 8, care, "2024-11", "2024-11-10", "100.00", "2024-11-10T09:00:00"
            ),
            _payment(
                "PM0000000003", 8, care, "2024-11", "2024-11-12", "100.00", "2024-11-12T09:00:00"
            ),
            _payment(
                "PM0000000004", 9, living, "2024-11", "2024-11-10", "80.00", "2024-11-10T09:00:00"
            ),
            _payment(
                "PM0000000005", 10, care, "2024-12", "2024-12-10", "100.00", "2024-12-10T09:00:00"
            ),
            _payment(
                "PM0000000006", 13, living, "2024-12", "2024-12-10", "80.00", "2024-12-10T09:00:00"
            ),
        ],
        extracted_at=at,
    )
    write_batch(
        root,
        "elderly_care",
        "older_residents",
        "or_b1",
        [
            _resident("LN00000001", 11, "321202001002", "1950-03-15", "2024-01-01 08:00:00"),
            _resident("LN00000002", 12, "321203001001", "1944-05-05", "2024-01-01 08:00:00"),
            _resident(
                "LN00000004",
                13,
                "321281001001",
                "1938-06-06",
                "2024-01-01 08:00:00",
                living_alone="否",
                low_income="是",
            ),
        ],
        extracted_at=at,
    )
    write_batch(
        root,
        "elderly_care",
        "home_service_orders",
        "ho_b1",
        [
            _order("101", "LN00000001", "2024-10-01", "助餐", "2024-10-01 10:00:00"),
            _order("102", "LN00000002", "2024-10-02", "助浴", "2024-10-02 10:00:00"),
            # LN00000003's record arrives only in the late batch.
            _order("103", "LN00000003", "2024-10-03", "助洁", "2024-10-03 10:00:00"),
            _order("104", "LN00000004", "2024-10-04", "助餐", "2024-10-04 10:00:00"),
            _order("105", "LN00000004", "2024-10-05", "助餐", "2024-10-05 10:00:00"),
        ],
        extracted_at=at,
    )
    write_batch(
        root,
        "elderly_care",
        "care_visits",
        "cv_b1",
        [
            _visit("201", "LN00000001", "2024-11-03", "2024-11-03 10:00:00"),
            _visit("202", "LN00000002", "2024-11-04", "2024-11-04 10:00:00"),
            _visit("203", "LN00000003", "2024-11-05", "2024-11-05 10:00:00"),
            _visit("204", "LN00000004", "2024-11-06", "2024-11-06 10:00:00"),
        ],
        extracted_at=at,
    )


def write_late_batches(root: Path) -> None:
    """A later extraction: new rows, corrected versions, a correction that breaks the row-level
    contract (quarantined), a late resident and a late death."""
    at = LATE_BATCH_AT
    care, living = "重度残疾人护理补贴", "困难残疾人生活补贴"
    write_batch(
        root,
        "smart_assistance",
        "persons",
        "pe_b2",
        # Person 9 joins a 低保 household: the living subsidy becomes precise.
        [_disabled_person("CJ0000000009", 9, "低保", "二级", "2025-01-20T09:00:00")],
        extracted_at=at,
    )
    write_batch(
        root,
        "smart_assistance",
        "subsidy_payments",
        "pm_b2",
        [
            # New payment.
            _payment(
                "PM0000000007", 8, care, "2024-12", "2024-12-10", "100.00", "2025-01-10T09:00:00"
            ),
            # PM2 was keyed to the wrong person: PM3 is no longer a repeat.
            _payment(
                "PM0000000002", 10, care, "2024-11", "2024-11-10", "100.00", "2025-01-15T09:00:00"
            ),
            # Corrected amount.
            _payment(
                "PM0000000004", 9, living, "2024-11", "2024-11-10", "85.00", "2025-01-15T09:00:00"
            ),
            # A correction with an unreadable amount: quarantined, so the payment leaves the fact.
            _payment(
                "PM0000000001", 8, care, "2024-10", "2024-10-10", "1OO", "2025-01-16T09:00:00"
            ),
        ],
        extracted_at=at,
    )
    write_batch(
        root,
        "civil_registry",
        "deaths",
        "dt_20250201",
        # Person 10 died in November: the December payment was paid after death.
        [
            {
                "death_record_id": "SW0000000010",
                "record_version": "1",
                "deceased_id_number": ID_NUMBERS[10],
                "deceased_name": PERSON_NAMES[0],
                "sex": "男",
                "birth_date": "1970-03-03",
                "death_date": "2024-11-20",
                "registration_date": "2025-01-30",
                "registration_county_code": "321283",
                "cremated": "是",
                "via_96444": "是",
                "funeral_home": "泰州市殡仪馆",
            }
        ],
        extracted_at=at,
        source_file="deaths_20250201.csv",
    )
    write_batch(
        root,
        "elderly_care",
        "older_residents",
        "or_b2",
        [
            # Moved to 兴化: orders and visits follow to the new county.
            _resident("LN00000001", 11, "321281001001", "1950-03-15", "2025-01-20 08:00:00"),
            # A correction with an unreadable birth date: quarantined, with her orders and visits.
            _resident("LN00000002", 12, "321203001001", "1944-13-45", "2025-01-20 08:00:00"),
            # Arrives late: the order and visit already landed now count.
            _resident("LN00000003", 9, "321282001001", "1948-08-08", "2025-01-20 08:00:00"),
        ],
        extracted_at=at,
    )
    write_batch(
        root,
        "elderly_care",
        "home_service_orders",
        "ho_b2",
        [
            _order("106", "LN00000001", "2024-12-01", "助医", "2024-12-01 10:00:00"),
            # Corrected to the day of order 104: now its twin, quarantined.
            _order("105", "LN00000004", "2024-10-04", "助餐", "2025-01-21 10:00:00"),
        ],
        extracted_at=at,
    )
    write_batch(
        root,
        "elderly_care",
        "care_visits",
        "cv_b2",
        [
            _visit("205", "LN00000004", "2024-12-06", "2024-12-06 10:00:00"),
            # Corrected visit date.
            _visit("204", "LN00000004", "2024-11-16", "2025-01-21 10:00:00"),
        ],
        extracted_at=at,
    )
    write_batch(
        root,
        "smart_assistance",
        "child_survey_submissions",
        "cs_b3",
        [
            _survey("CS0000000005", "321281001001", "2024-12", "2025-01-05T10:00:00"),
            # Corrected village.
            _survey("CS0000000001", "321282001001", "2024-03", "2025-01-20T10:00:00"),
            # A correction without a village: quarantined.
            _survey("CS0000000002", None, "2024-03", "2025-01-20T11:00:00"),
        ],
        extracted_at=at,
    )


def write_lookup_only_batches(root: Path) -> None:
    """An extraction an hour after the first: resident LN00000001 re-landed unchanged (her lookup
    row is now newer than every order and visit) and one new order for LN00000004."""
    at = FIRST_BATCH_AT.replace(hour=FIRST_BATCH_AT.hour + 1)
    write_batch(
        root,
        "elderly_care",
        "older_residents",
        "or_b1_again",
        [_resident("LN00000001", 11, "321202001002", "1950-03-15", "2024-01-01 08:00:00")],
        extracted_at=at,
    )
    write_batch(
        root,
        "elderly_care",
        "home_service_orders",
        "ho_b1_next",
        [_order("107", "LN00000004", "2024-12-20", "助洁", "2024-12-20 10:00:00")],
        extracted_at=at,
    )


def write_raw_zone(root: Path) -> Path:
    write_smart_assistance(root)
    write_incremental_first_batch(root)
    write_elderly_care(root)
    write_social_org_registry(root)
    write_civil_registry(root)
    write_empty_batches(root, {(e.system, e.name): e.column_names for e in registry.all_entities()})
    return root


if __name__ == "__main__":
    print(write_raw_zone(Path(sys.argv[1]).resolve()))
