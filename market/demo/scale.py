"""A synthetic city at scale, for the benchmarks: `generate_city(enterprises=10_000, listings=200_000)`.

It fills a migrated database fast with Core bulk inserts (executemany in chunks; PostgreSQL COPY through
psycopg), bypassing the ORM and the services, yet writes exactly what the services would: the same
normalised `search_text` (see `services.enterprise_search_text` / `listing_search_text`) and the same
`search_gram` rows (`search.bigrams`). The titles are combinations of everyday Korean procurement words per
industry (사무실 계단 청소 용역, 한식 도시락 배달, 리플릿 인쇄 ...), so a benchmark's searches hit realistic
result sizes. Everything is drawn from `random.Random(seed)`: the same seed gives the same city.

Like a service it writes and never commits: the caller commits (and should ANALYZE afterwards).
"""
from __future__ import annotations

import random
import time
from collections import Counter
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from market.accounts.models import Organization, OrgKind
from market.catalog import kinds, search
from market.catalog.areas import AREAS
from market.catalog.models import (Certification, EnterpriseProfile, Industry, Listing, SearchGram,
                                   enterprise_industry)
from market.catalog.services import seed_industries, valid_business_number
from market.core.timeutil import seoul_today, utcnow
from market.extensions import db

CHUNK = 50_000          # rows per executemany
LISTING_BATCH = 20_000  # listings (and their grams) built and written at a time

# Per industry: objects x actions x suffixes make titles; category, units and a price range make the rest.
# Common two-syllable words (청소, 인쇄, 방역, 제작 ...) and 도시락 recur on purpose: they are what buyers type.
VOCABULARY: dict[str, dict] = {
    "cleaning": dict(weight=10, category="services", units=("㎡", "회", "월"), price=(900, 650_000), words=(
        ["사무실", "계단", "화장실", "청사", "복도", "유리창", "경로당", "어린이집", "체육관", "주차장", "회의실", "저수조"],
        ["청소", "방역", "소독", "위생관리", "대청소", "특수청소"],
        ["용역", "서비스", "정기 관리", "(월 단위)", ""])),
    "facility": dict(weight=6, category="services", units=("월", "일", "명"), price=(100_000, 3_500_000), words=(
        ["청사", "공공건물", "공영주차장", "도서관", "복지관", "체육시설"],
        ["시설관리", "경비", "안내 인력", "설비 점검", "당직 근무", "주차관리"],
        ["위탁", "용역", "인력 파견", "서비스"])),
    "landscaping": dict(weight=5, category="works", units=("㎡", "회", "건"), price=(400, 900_000), words=(
        ["공원", "가로수", "하천변", "청사 녹지", "화단", "학교 숲"],
        ["제초", "전정", "유지관리", "꽃길 조성", "수목 방제", "잔디 깎기"],
        ["작업", "공사", "관리", "용역"])),
    "repair": dict(weight=6, category="works", units=("㎡", "건", "식"), price=(15_000, 8_000_000), words=(
        ["경로당", "주택", "화장실", "어린이집", "복지관", "마을회관"],
        ["도배", "장판", "방수", "도장", "집수리", "전기 수리", "경사로 설치"],
        ["공사", "시공", "보수"])),
    "printing": dict(weight=8, category="goods", units=("부", "장", "건", "식"), price=(50, 2_500_000), words=(
        ["리플릿", "포스터", "명함", "현수막", "책자", "보고서", "안내판", "배너"],
        ["인쇄", "제작", "디자인", "출력", "인쇄 제작"],
        ["", "(소량)", "(1,000부)", "당일 출고"])),
    "promo": dict(weight=4, category="goods", units=("개", "세트", "박스"), price=(800, 90_000), words=(
        ["에코백", "텀블러", "기념품", "상패", "볼펜", "우산"],
        ["제작", "인쇄", "주문 제작"],
        ["", "(로고 인쇄)", "세트"])),
    "office": dict(weight=4, category="goods", units=("박스", "개", "세트"), price=(500, 450_000), words=(
        ["복사용지", "토너", "볼펜", "파일", "바인더", "사무용 의자", "책상"],
        ["납품", "공급", "정기 배송"],
        ["", "A4", "(박스 단위)"])),
    "industrial": dict(weight=3, category="goods", units=("개", "박스", "켤레"), price=(1_000, 250_000), words=(
        ["안전모", "안전화", "작업장갑", "소화기", "포장 박스", "안전표지판"],
        ["납품", "공급", "제작"],
        ["", "(KC 인증)", "묶음"])),
    "food": dict(weight=8, category="goods", units=("kg", "박스", "세트"), price=(3_000, 150_000), words=(
        ["쌀", "잡곡", "박대", "김", "반찬", "된장", "고추장", "사과", "보리"],
        ["선물세트", "가공품", "꾸러미", "정기 배송"],
        ["", "(군산산)", "(친환경)"])),
    "catering": dict(weight=8, category="goods", units=("식", "개", "인분"), price=(5_000, 35_000), words=(
        ["도시락", "한식 도시락", "출장뷔페", "간식 도시락", "행사 도시락", "단체 급식", "반찬 도시락"],
        ["배달", "케이터링", "납품", "주문"],
        ["", "(1인분)", "(10인 이상)"])),
    "cafe": dict(weight=5, category="goods", units=("잔", "개", "세트", "박스"), price=(1_500, 60_000), words=(
        ["커피", "원두", "쿠키", "떡", "빵", "다과", "드립백"],
        ["납품", "케이터링", "세트", "배달"],
        ["", "(회의용)", "(행사용)"])),
    "household": dict(weight=3, category="goods", units=("박스", "개", "세트"), price=(1_000, 80_000), words=(
        ["세제", "화장지", "주방세제", "손소독제", "물티슈", "고무장갑"],
        ["납품", "공급"],
        ["", "(대용량)", "(친환경)"])),
    "apparel": dict(weight=3, category="goods", units=("벌", "개", "세트"), price=(5_000, 180_000), words=(
        ["근무복", "작업복", "단체티", "침구", "앞치마", "방한복"],
        ["제작", "봉제", "납품"],
        ["", "(자수 포함)"])),
    "crafts": dict(weight=3, category="goods", units=("개", "세트"), price=(3_000, 200_000), words=(
        ["도자기", "목공예", "한지 공예", "향초", "손수건", "천연 비누"],
        ["기념품", "선물세트", "제작"],
        ["", "(군산 근대)"])),
    "education": dict(weight=5, category="services", units=("회", "명", "시간"), price=(10_000, 1_500_000), words=(
        ["초등학교", "청소년", "어르신", "공무원", "주민", "장애인"],
        ["코딩 교육", "환경 교육", "체험 프로그램", "역사 교육", "안전 교육"],
        ["", "(찾아가는)", "프로그램"])),
    "culture": dict(weight=3, category="services", units=("회", "건"), price=(200_000, 5_000_000), words=(
        ["마을 축제", "찾아가는", "거리", "청소년"],
        ["공연", "전시", "문화 체험", "공예 워크숍"],
        ["", "기획", "운영"])),
    "events": dict(weight=4, category="services", units=("건", "일", "식"), price=(150_000, 9_000_000), words=(
        ["행사", "축제", "회의", "기념식", "박람회"],
        ["기획", "운영", "음향 장비 대여", "진행 인력", "부스 설치"],
        ["", "용역", "대행"])),
    "tourism": dict(weight=2, category="services", units=("명", "회", "박"), price=(10_000, 400_000), words=(
        ["근대역사", "고군산군도", "새만금", "선유도", "경암동 철길"],
        ["투어", "해설", "숙박", "워크숍"],
        ["", "프로그램", "(단체)"])),
    "media": dict(weight=4, category="services", units=("건", "편", "월"), price=(100_000, 12_000_000), words=(
        ["홍보 영상", "홈페이지", "SNS", "사진 촬영", "온라인 중계", "카드뉴스"],
        ["제작", "운영", "대행", "관리"],
        ["", "(월 단위)", "용역"])),
    "care": dict(weight=4, category="services", units=("시간", "월", "회"), price=(12_000, 2_000_000), words=(
        ["어르신", "장애인", "산모", "아동", "독거노인"],
        ["돌봄", "방문 요양", "가사 지원", "활동 지원", "말벗"],
        ["서비스", "", "바우처"])),
    "environment": dict(weight=3, category="services", units=("회", "kg", "건"), price=(500, 3_000_000), words=(
        ["폐현수막", "폐자원", "해양 쓰레기", "재활용품", "커피박"],
        ["수거", "업사이클링", "재활용", "정화 활동"],
        ["", "용역", "서비스"])),
    "transport": dict(weight=2, category="services", units=("건", "회", "톤"), price=(30_000, 2_500_000), words=(
        ["사무실", "물품", "행사 물품", "이삿짐", "기록물"],
        ["이사", "운송", "배송", "보관"],
        ["", "서비스", "(당일)"])),
    "other": dict(weight=1, category="services", units=("건", "일"), price=(10_000, 1_000_000), words=(
        ["장비", "경영", "사회적가치"],
        ["대여", "컨설팅", "자문"],
        ["", "서비스"])),
}

NAME_WORDS = ["군산", "새만금", "은파", "월명", "금강", "고군산", "바다", "햇살", "늘푸른", "행복", "희망", "나눔",
              "한마음", "푸른", "동행", "두레", "이음", "온누리", "다온", "채움", "선유", "째보", "구불", "미소"]
TRADE_WORDS = {
    "cleaning": ["청소", "클린", "환경", "위생"], "facility": ["시설", "관리", "경비"], "landscaping": ["조경", "녹지"],
    "repair": ["집수리", "건설", "인테리어"], "printing": ["인쇄", "디자인", "기획"], "promo": ["기념품", "굿즈"],
    "office": ["사무", "문구", "유통"], "industrial": ["안전", "산업"], "food": ["푸드", "농산", "수산"],
    "catering": ["도시락", "밥상", "식당"], "cafe": ["카페", "베이커리", "떡집"], "household": ["생활", "세제"],
    "apparel": ["봉제", "의류"], "crafts": ["공예", "공방"], "education": ["교육", "배움"], "culture": ["문화", "예술"],
    "events": ["이벤트", "기획"], "tourism": ["여행", "투어"], "media": ["미디어", "영상"], "care": ["케어", "돌봄"],
    "environment": ["자원", "리사이클"], "transport": ["운송", "물류"], "other": ["컨설팅", "상사"],
}
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = "민서지현영수진우은하준성혜경미정호재윤아"
SERVICE_AREAS = ["군산시 전역", "군산시 전역", "전북 전역", "전국", None]

# Which certification makes an enterprise part of the social economy, in rough Gunsan proportions.
MAIN_KINDS = [(kinds.SOCIAL_ENTERPRISE, 30), (kinds.PRELIMINARY, 18), (kinds.VILLAGE, 10),
              (kinds.SELF_SUFFICIENCY, 10), (kinds.SOCIAL_COOPERATIVE, 10), (kinds.COOPERATIVE, 22)]
EXTRA_KINDS = [(kinds.WOMEN_OWNED, 0.15), (kinds.DISABLED_OWNED, 0.05), (kinds.SEVERELY_DISABLED, 0.02)]
NAME_FORMS = {
    kinds.SOCIAL_ENTERPRISE: ["(주){}", "{}", "(유){}"], kinds.PRELIMINARY: ["(주){}", "{}"],
    kinds.VILLAGE: ["{} 마을기업", "{}마을"], kinds.SELF_SUFFICIENCY: ["{} 자활사업단", "{}자활"],
    kinds.SOCIAL_COOPERATIVE: ["사회적협동조합 {}"], kinds.COOPERATIVE: ["{} 협동조합", "협동조합 {}"],
}


def generate_city(enterprises: int = 10_000, listings: int = 200_000, seed: int = 2026,
                  today: date | None = None) -> Counter[str]:
    """Add `enterprises` approved enterprises (profile, certifications, secondary industries) and `listings`
    listings with their search index to the current database session; returns what was written."""
    started = time.perf_counter()
    rnd = random.Random(seed)
    today = today or seoul_today()
    now = utcnow()
    written: Counter[str] = Counter()
    written["industries"] = seed_industries()
    db.session.flush()
    industries = db.session.execute(
        sa.select(Industry.id, Industry.code, Industry.parent_id, Industry.name_ko, Industry.position)).all()
    top = {row.code: row for row in industries if row.parent_id is None}
    groups: dict[int, list] = {}
    for row in industries:
        if row.parent_id is not None:
            groups.setdefault(row.parent_id, []).append(row)
    codes = [code for code in VOCABULARY if code in top]
    weights = [VOCABULARY[code]["weight"] for code in codes]

    first_org = next_id(Organization.id)
    first_cert = next_id(Certification.id)
    first_listing = next_id(Listing.id)
    writer = Writer()

    # --- enterprises: organisation, profile, secondary industries, certifications ---
    orgs, profiles, secondary_rows, certs, gram_rows = [], [], [], [], []
    enterprise_facts = []  # (id, name, main industry code, secondary codes), for the listings
    cert_id = first_cert
    for n in range(enterprises):
        org_id = first_org + n
        main_code = rnd.choices(codes, weights)[0]
        main_kind = rnd.choices([k for k, _ in MAIN_KINDS], [w for _, w in MAIN_KINDS])[0]
        core = rnd.choice(NAME_WORDS) + rnd.choice(TRADE_WORDS[main_code])
        name = rnd.choice(NAME_FORMS[main_kind]).format(core)
        name_en = f"Gunsan {main_code.title()} {n + 1}" if rnd.random() < 0.3 else None
        area = rnd.choice(AREAS)
        created = now - timedelta(days=rnd.randint(0, 5 * 365), seconds=rnd.randint(0, 86_399))
        secondary = sorted(rnd.sample([c for c in codes if c != main_code], rnd.choice((0, 0, 1, 1, 2))),
                           key=lambda code: top[code].position)
        employees = rnd.randint(2, 80)
        description = (f"{area}에서 {top[main_code].name_ko} 분야 일자리를 만드는 "
                       f"{_kind_word(main_kind)}입니다. 취약계층 {rnd.randint(1, employees)}명과 함께 일합니다.")
        orgs.append({"id": org_id, "kind": OrgKind.ENTERPRISE, "name": name, "name_en": name_en,
                     "status": "approved", "status_reason": None,
                     "phone": f"063-{rnd.randint(440, 469)}-{n % 10_000:04d}",
                     "address": f"전북특별자치도 군산시 {area} {rnd.randint(1, 300)}", "created_at": created})
        # The same text services.enterprise_search_text builds: name, English name, area, description,
        # main industry, then the secondary industries in taxonomy order.
        parts = [name, name_en, area, description, top[main_code].name_ko] + [top[c].name_ko for c in secondary]
        search_text = search.document_text(parts)
        profiles.append({"organization_id": org_id, "business_number": _business_number(org_id),
                         "representative": rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN),
                         "area": area, "email": f"contact{org_id}@enterprise.example.kr", "website": None,
                         "description": description, "logo_filename": None, "main_industry_id": top[main_code].id,
                         "employees": employees, "vulnerable_employees": rnd.randint(0, employees),
                         "founded_year": created.year - rnd.randint(0, 8), "search_text": search_text,
                         "updated_at": created})
        secondary_rows += [{"organization_id": org_id, "industry_id": top[c].id} for c in secondary]
        gram_rows += [{"doc_type": search.ENTERPRISE, "gram": g, "doc_id": org_id} for g in search.bigrams(search_text)]
        held = [main_kind] + [k for k, share in EXTRA_KINDS if rnd.random() < share]
        for kind in held:
            certs.append(_certification(rnd, cert_id, org_id, kind, today, now))
            cert_id += 1
        enterprise_facts.append((org_id, name, main_code, secondary))
    writer.insert(Organization.__table__, orgs)
    writer.insert(EnterpriseProfile.__table__, profiles)
    writer.insert(enterprise_industry, secondary_rows)
    writer.insert(Certification.__table__, certs)
    writer.insert(SearchGram.__table__, gram_rows)
    written.update(enterprises=len(orgs), certifications=len(certs), enterprise_grams=len(gram_rows))
    del orgs, profiles, secondary_rows, certs, gram_rows

    # --- listings: a few enterprises have many, most have a handful ---
    if enterprise_facts and listings:
        activity = [min(rnd.paretovariate(1.5), 25.0) for _ in enterprise_facts]  # the busiest ~9x the average
        owners = rnd.choices(range(len(enterprise_facts)), activity, k=listings)
        positions: Counter[int] = Counter()
        for start in range(0, listings, LISTING_BATCH):
            rows, gram_rows = [], []
            for offset, owner in enumerate(owners[start:start + LISTING_BATCH]):
                listing_id = first_listing + start + offset
                org_id, org_name, main_code, secondary = enterprise_facts[owner]
                code = rnd.choice(secondary) if secondary and rnd.random() < 0.2 else main_code
                row = _listing(rnd, listing_id, org_id, org_name, code, top[code], groups.get(top[code].id, []), now)
                positions[org_id] += 1
                row["position"] = positions[org_id]
                rows.append(row)
                gram_rows += [{"doc_type": search.LISTING, "gram": g, "doc_id": listing_id}
                              for g in search.bigrams(row["search_text"])]
                written["published"] += row["status"] == "published"
            writer.insert(Listing.__table__, rows)
            writer.insert(SearchGram.__table__, gram_rows)
            written["listings"] += len(rows)
            written["listing_grams"] += len(gram_rows)
    writer.finish()
    written["seconds"] = round(time.perf_counter() - started, 1)
    return written


def _kind_word(kind: str) -> str:
    return {kinds.SOCIAL_ENTERPRISE: "사회적기업", kinds.PRELIMINARY: "예비사회적기업", kinds.VILLAGE: "마을기업",
            kinds.SELF_SUFFICIENCY: "자활기업", kinds.SOCIAL_COOPERATIVE: "사회적협동조합"}.get(kind, "협동조합")


def _business_number(serial: int) -> str:
    """A unique, checksum-valid 사업자등록번호 (the tax-office prefix 401 is Gunsan's)."""
    stem = f"{401 + serial // 1_000_000 % 500:03d}{serial % 1_000_000:06d}"
    return next(stem + str(d) for d in range(10) if valid_business_number(stem + str(d)))


def _certification(rnd: random.Random, cert_id: int, org_id: int, kind: str, today: date, now: datetime) -> dict:
    valid_from = today - timedelta(days=rnd.randint(30, 9 * 365))
    valid_to = None
    if kind == kinds.PRELIMINARY or kind in (kinds.WOMEN_OWNED, kinds.DISABLED_OWNED, kinds.SEVERELY_DISABLED):
        valid_from = today - timedelta(days=rnd.randint(10, 3 * 365 + 200))  # some have just expired
        valid_to = valid_from + timedelta(days=kinds.PRELIMINARY_YEARS * 365 - 1)
    status = rnd.choices(("verified", "pending", "rejected", "revoked"), (95, 3, 1, 1))[0]
    return {"id": cert_id, "organization_id": org_id, "kind": kind,
            "number": f"{valid_from.year}-{cert_id:06d}" if kind in kinds.NEEDS_NUMBER else None,
            "designated_by": rnd.choice(list(kinds.DESIGNATIONS)) if kind == kinds.PRELIMINARY else None,
            "valid_from": valid_from, "valid_to": valid_to, "status": status, "status_note": None,
            "verified_at": now if status in ("verified", "revoked") else None, "verified_by_id": None,
            "created_at": now, "reminded_60_at": None, "reminded_14_at": None}


def _listing(rnd: random.Random, listing_id: int, org_id: int, org_name: str, code: str, industry, groups: list,
             now: datetime) -> dict:
    vocabulary = VOCABULARY[code]
    objects, actions, suffixes = vocabulary["words"]
    title = " ".join(w for w in (rnd.choice(objects), rnd.choice(actions), rnd.choice(suffixes)) if w)
    group = rnd.choice(groups) if groups and rnd.random() < 0.9 else None
    service_area = rnd.choice(SERVICE_AREAS + [rnd.choice(AREAS)])
    low, high = vocabulary["price"]
    price = None if rnd.random() < 0.1 else round(rnd.uniform(low, high), -2 if high > 10_000 else 0)
    created = now - timedelta(days=rnd.randint(0, 3 * 365), seconds=rnd.randint(0, 86_399))
    # The same text services.listing_search_text builds: title, enterprise, industry, item group, area.
    parts = [title, org_name, industry.name_ko, group.name_ko if group else None, service_area]
    return {"id": listing_id, "organization_id": org_id, "title": title[:120],
            "description": f"{title}. {org_name}이(가) 직접 수행합니다. 견적 문의 환영합니다.",
            "industry_id": industry.id, "group_id": group.id if group else None,
            "category": vocabulary["category"] if rnd.random() < 0.9 else rnd.choice(list(kinds.LISTING_CATEGORIES)),
            "unit": rnd.choice(vocabulary["units"]), "unit_price_krw": int(price) if price is not None else None,
            "vat_included": rnd.random() < 0.7, "min_order": rnd.choice((1, 1, 1, 5, 10, 100)),
            "lead_time_days": rnd.choice((None, 1, 3, 7, 14, 30)), "service_area": service_area,
            "status": rnd.choices(("published", "draft", "archived"), (88, 8, 4))[0], "position": 0,
            "search_text": search.document_text(parts),
            "created_at": created, "updated_at": min(now, created + timedelta(days=rnd.randint(0, 200)))}


def next_id(column) -> int:
    return (db.session.scalar(sa.select(sa.func.max(column))) or 0) + 1


class Writer:
    """Bulk inserts on the session's connection: COPY on PostgreSQL (psycopg), executemany elsewhere."""

    def __init__(self) -> None:
        self.connection = db.session.connection()
        self.copy = (self.connection.dialect.name == "postgresql"
                     and self.connection.dialect.driver == "psycopg")
        self.tables: set[str] = set()

    def insert(self, table: sa.Table, rows: list[dict]) -> None:
        if not rows:
            return
        if "id" in table.c:
            self.tables.add(table.name)
        if self.copy:
            from psycopg.types.json import Json

            columns = list(rows[0])
            # COPY bypasses SQLAlchemy's types: a JSON column's dict must be adapted by hand.
            json_columns = {c for c in columns if isinstance(table.c[c].type, sa.JSON)}
            raw = self.connection.connection.driver_connection
            with raw.cursor() as cursor:
                statement = 'COPY "{}" ({}) FROM STDIN'.format(table.name, ", ".join(f'"{c}"' for c in columns))
                with cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row([Json(row[c]) if c in json_columns else row[c] for c in columns])
            return
        for start in range(0, len(rows), CHUNK):
            self.connection.execute(table.insert(), rows[start:start + CHUNK])

    def finish(self) -> None:
        """Explicit ids were written: move PostgreSQL's sequences past them."""
        if self.connection.dialect.name != "postgresql":
            return
        for table in sorted(self.tables):
            self.connection.execute(sa.text(
                f"""SELECT setval(pg_get_serial_sequence('"{table}"', 'id'), """
                f"""(SELECT coalesce(max(id), 0) + 1 FROM "{table}"), false)"""))
