"""The portal's demo content: notices and calls around today, resources with small generated files, the
certification and designation guides, and a few community posts. Idempotent: each item is found by its
title (pages by their address) and created only if missing. Files are generated here, never downloaded.

`load_demo_content()` runs after the demo city exists (it needs the support center's administrator and the
demo enterprises); it flushes and leaves the commit to its caller, like every service.
"""
from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime, time, timedelta

from werkzeug.datastructures import FileStorage

from market.accounts.models import Organization, OrgKind, Role, User
from market.content import services
from market.content.models import CommunityPost, GuidePage, Notice, Resource
from market.content.permissions import can_post_to_community
from market.core.timeutil import seoul_today
from market.extensions import db


def pdf_document(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (ASCII text in Helvetica), built by hand."""
    def escape(text: str) -> str:
        return text.encode("ascii", "replace").decode().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = ["BT", "/F1 18 Tf", "56 780 Td", f"({escape(title)}) Tj", "/F1 11 Tf", "0 -30 Td"]
    for line in lines:
        text += [f"({escape(line)}) Tj", "0 -16 Td"]
    text.append("ET")
    stream = "\n".join(text).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def png_picture(width: int, height: int, colors: tuple[tuple[int, int, int], ...]) -> bytes:
    """A simple generated picture (stripes of colour) standing in for a photo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), colors[0])
    draw = ImageDraw.Draw(image)
    band = height // len(colors)
    for index, color in enumerate(colors):
        draw.rectangle([0, index * band, width, (index + 1) * band], fill=color)
    draw.ellipse([width // 3, height // 4, 2 * width // 3, 3 * height // 4], fill=(242, 193, 78))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _file(name: str, data: bytes) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def _text(content: str) -> bytes:
    return content.encode("utf-8")


class ContentLoader:
    def __init__(self, today: date | None = None) -> None:
        self.today = today or seoul_today()
        self.created: Counter[str] = Counter()
        self.admin = db.session.scalar(
            db.select(User).join(User.organization)
            .where(Organization.kind == OrgKind.CITY, User.role == Role.ADMIN, User.active.is_(True))
            .order_by(User.id))

    def days(self, n: int) -> date:
        return self.today + timedelta(days=n)

    def at(self, days: int, hour: int = 9) -> datetime:
        """A publication time in Korea, `days` from today."""
        return datetime.combine(self.days(days), time(hour, 0))

    def publication(self, days: int | None, hour: int = 9) -> services.Publication:
        if days is None:
            return services.Publication(publish=False)
        return services.Publication(publish=True, publish_at=self.at(days, hour))

    # --- notices and calls ---

    def notice(self, title: str, category: str, body: str, published: int | None, *, pinned=False,
               period: tuple[int | None, int] | None = None, uploads=()) -> None:
        if db.session.scalar(db.select(Notice.id).where(Notice.title == title)):
            return
        starts = self.days(period[0]) if period and period[0] is not None else None
        ends = self.days(period[1]) if period else None
        services.create_notice(self.admin, services.NoticeData(
            category=category, title=title, body=body, publication=self.publication(published), pinned=pinned,
            apply_starts_on=starts, apply_ends_on=ends), uploads)
        self.created["notices"] += 1

    def notices(self) -> None:
        year = self.today.year + 1
        self.notice(
            f"{year}년 사회적경제기업 공공판로 지원사업 참여기업 모집", "programme",
            "군산시 사회적경제지원센터가 공공기관 판로 개척을 돕는 지원사업 참여기업을 모집합니다.\n\n"
            "## 지원 내용\n\n- 공공구매 상담회 참가와 기관별 맞춤 제안서 작성 지원\n- 제품 사진 촬영, 카탈로그 제작\n"
            "- 가치장터·나라장터 등록 컨설팅\n\n## 신청 자격\n\n군산시에 본점을 둔 사회적기업, 예비사회적기업, 마을기업, "
            "자활기업, (사회적)협동조합\n\n## 신청 방법\n\n첨부한 신청서를 작성해 전자우편으로 제출해 주세요.\n\n"
            "문의: 063-000-0000",
            published=-9, pinned=True, period=(-9, 12),
            uploads=[_file("공공판로_지원사업_공고문.pdf", pdf_document(
                "Public sales-channel support programme", [
                    "Gunsan Social Economy Support Center", f"Call for participants, {year}",
                    "Eligible: social enterprises, preliminary social enterprises, village enterprises,",
                    "self-sufficiency enterprises and cooperatives headquartered in Gunsan."])),
                _file("참가신청서.txt", _text("공공판로 지원사업 참가신청서\n\n기업명:\n대표자:\n연락처:\n주요 제품·서비스:\n"))])
        self.notice(
            "사회적기업 육성사업(창업팀) 추가 모집", "programme",
            "사회적 가치를 실현하려는 예비 창업팀을 추가로 모집합니다. 선정된 팀에는 창업 공간, 사업화 자금, "
            "멘토링을 지원합니다.\n\n- 모집 규모: 5팀 내외\n- 지원 기간: 선정일부터 10개월",
            published=-18, period=(-18, 3))
        self.notice(
            "마을기업 지정 신청 안내 (상반기)", "programme",
            "행정안전부 마을기업 지정 신청을 받습니다. 신청 전 지원센터의 사전 상담을 받으시기 바랍니다. "
            "지정 요건과 절차는 [마을기업 지정 절차](/guides/village-enterprise)를 참고하세요.",
            published=-2, period=(7, 30))
        self.notice(
            f"{self.today.year}년 하반기 공공기관 구매상담회 참가기업 모집", "programme",
            "하반기 구매상담회 참가기업 모집이 마감되었습니다. 참여해 주신 기업에 감사드립니다.",
            published=-45, period=(-45, -15))
        self.notice(
            "사회적경제 아카데미: 공공조달 실무 교육 (12월)", "education",
            "공공기관과 거래를 시작하려는 기업을 위한 실무 교육입니다.\n\n"
            "| 일시 | 내용 |\n| --- | --- |\n| 1일차 | 수의계약과 견적 제출 |\n| 2일차 | 우선구매 제도와 실적 관리 |\n\n"
            "장소: 군산시 사회적경제지원센터 교육장 (선착순 30명)",
            published=-4, period=(-4, 10))
        self.notice(
            "연말연시 지원센터 운영 시간 안내", "notice",
            "12월 31일은 오후 3시까지 운영하며, 1월 1일은 휴무입니다.",
            published=-1)
        self.notice(
            "전북 사회적경제 혁신타운 입주기업 모집 소식", "news",
            "군산에 있는 전북 사회적경제 혁신타운이 입주기업을 모집합니다. 교육, 창업, 제품 개발, 판로 지원을 "
            "받을 수 있습니다.",
            published=-6)
        self.notice(
            f"{year}년 우선구매 계획 제출 안내 (공공기관)", "notice",
            "공공기관은 매년 2월 말까지 사회적기업 제품 우선구매 계획과 전년도 실적을 제출합니다. "
            "작성 방법을 안내합니다.",
            published=3)  # scheduled: appears in three days

    # --- resources ---

    def resource(self, title: str, category: str, body: str, uploads, published: int | None = -10) -> None:
        if db.session.scalar(db.select(Resource.id).where(Resource.title == title)):
            return
        services.create_resource(self.admin, services.ResourceData(
            category=category, title=title, body=body, publication=self.publication(published)), uploads)
        self.created["resources"] += 1

    def resources(self) -> None:
        self.resource(
            "사회적기업 인증 신청서 작성 예시", "form",
            "인증 신청서와 사업보고서를 작성할 때 참고할 수 있는 예시입니다.",
            [_file("인증신청서_작성예시.pdf", pdf_document("Social enterprise certification: application example", [
                "1. Organisation and representative", "2. Paid workers and vulnerable groups employed",
                "3. Social purpose and how it is measured", "4. Decision-making with stakeholders",
                "5. Revenue from business activities", "6. Articles of association"])),
             _file("인증신청서_체크리스트.txt", _text(
                 "사회적기업 인증 신청 체크리스트\n\n[ ] 정관\n[ ] 유급근로자 명부\n[ ] 사업계획서\n[ ] 손익계산서\n"))],
            published=-30)
        self.resource(
            "공공기관 사회적경제기업 제품 우선구매 안내서", "guide",
            "공공기관 구매 담당자를 위한 우선구매 제도, 수의계약 한도, 실적 인정 기준 안내입니다.",
            [_file("우선구매_안내서.pdf", pdf_document("Priority purchase of social-economy products", [
                "For public buyers in Gunsan", "Private contracts, purchase plans and results, reporting dates"]))],
            published=-12)
        self.resource(
            "군산시 사회적경제 현황 요약", "report",
            "유형별 기업 수와 업종 분포를 정리한 요약 자료입니다.",
            [_file("군산시_사회적경제_현황.txt", _text(
                "군산시 사회적경제 현황 요약\n\n사회적기업, 예비사회적기업, 마을기업, 자활기업, 협동조합\n"
                "최신 통계는 장터의 통계 화면에서 볼 수 있습니다.\n"))],
            published=-3)

    # --- guide pages ---

    def page(self, slug: str, title: str, summary: str, body: str, position: int) -> None:
        if db.session.scalar(db.select(GuidePage.id).where(GuidePage.slug == slug)):
            return
        services.create_page(self.admin, services.PageData(
            slug=slug, title=title, summary=summary, body=body, position=position,
            publication=self.publication(-60)))
        self.created["guide pages"] += 1

    def pages(self) -> None:
        caution = "\n\n> 요건과 일정은 해마다 바뀔 수 있습니다. 신청 전에 최신 공고를 확인하고 지원센터와 상담하세요."
        self.page("about", "군산의 사회적경제", "사회적경제가 무엇인지, 군산에서 누가 무엇을 하는지 소개합니다.",
                  "사회적경제는 이윤보다 사람과 지역을 먼저 생각하는 경제 활동입니다. 사회적기업, 예비사회적기업, "
                  "마을기업, 자활기업, 협동조합과 사회적협동조합이 일자리, 돌봄, 먹거리, 환경 같은 지역의 문제를 "
                  "사업으로 풀어 갑니다.\n\n## 군산시 사회적경제지원센터\n\n2020년 6월 문을 연 지원센터는 "
                  "군산 사회적경제의 중간지원조직입니다.\n\n- 기업 발굴과 육성, 교육과 컨설팅\n- 기업 사이의 교류와 "
                  "네트워크\n- 공공구매 확대와 판로 개척\n\n## 장터에서 할 수 있는 일\n\n공공기관은 군산의 사회적경제"
                  "기업을 찾아 견적을 받고 주문할 수 있고, 시민은 지원사업과 교육 소식을 한곳에서 볼 수 있습니다.", 0)
        self.page("social-enterprise", "사회적기업 인증 절차", "고용노동부 사회적기업 인증을 받는 단계와 준비물입니다.",
                  "## 인증 요건\n\n1. 민법상 법인·조합, 상법상 회사 등 조직 형태를 갖출 것\n2. 유급근로자를 고용해 "
                  "영업활동을 할 것\n3. 취약계층 일자리 제공, 사회서비스 제공 등 사회적 목적을 실현할 것\n"
                  "4. 이해관계자가 참여하는 의사결정 구조를 갖출 것\n5. 영업활동으로 얻는 수입이 일정 기준 이상일 것\n"
                  "6. 정관 등을 갖추고, 이윤이 생기면 사회적 목적에 다시 쓸 것\n\n## 절차\n\n1. 지원센터 사전 상담\n"
                  "2. 신청서와 증빙 서류 제출\n3. 서류 검토와 현장 실사\n4. 인증 심사와 의결\n5. 인증서 발급\n\n"
                  "[작성 예시와 체크리스트](/resources)는 자료실에서 받을 수 있습니다." + caution, 1)
        self.page("preliminary-social-enterprise", "예비사회적기업 지정 절차",
                  "사회적기업 인증 전 단계인 예비사회적기업 지정(지역형·부처형)을 안내합니다.",
                  "예비사회적기업은 사회적 목적을 실현하고 있지만 인증 요건 일부를 갖추지 못한 기업이 사회적기업으로 "
                  "성장하도록 지정하는 제도입니다.\n\n- **지역형**: 광역자치단체가 공모로 지정\n"
                  "- **부처형**: 중앙부처가 분야별로 지정\n- 지정 기간: 3년 (기간 안에 인증을 준비)\n\n"
                  "## 절차\n\n1. 지정 공모 공고 확인\n2. 지원센터 사전 상담과 신청서 작성\n3. 시·군 추천과 심사\n"
                  "4. 지정 및 지정서 발급" + caution, 2)
        self.page("village-enterprise", "마을기업 지정 절차",
                  "지역 주민이 함께 만드는 마을기업의 지정 요건과 심사 단계입니다.",
                  "## 지정 요건\n\n- **공동체성**: 지역 주민이 함께 출자하고 참여\n- **공공성**: 지역 문제 해결과 "
                  "이익의 지역 환원\n- **지역성**: 지역 자원을 활용한 사업\n- **기업성**: 지속 가능한 사업 계획\n\n"
                  "## 절차\n\n1. 시·군 신청 (사전 교육 이수)\n2. 시·군 1차 심사\n3. 시·도 2차 심사\n"
                  "4. 행정안전부 최종 지정" + caution, 3)
        self.page("cooperative", "협동조합·사회적협동조합 설립", "협동조합 신고와 사회적협동조합 인가를 안내합니다.",
                  "## 협동조합\n\n발기인 5인 이상이 정관을 만들고 창립총회를 연 뒤 시·도에 설립 신고를 하고 "
                  "설립 등기를 합니다.\n\n## 사회적협동조합\n\n지역사회 공헌, 취약계층 일자리 등 공익 사업을 "
                  "주로 하는 협동조합으로, 관계 중앙부처의 설립 인가를 받습니다." + caution, 4)

    # --- community ---

    def post(self, email: str, title: str, body: str, *, photos=(), video_url=None, published=-2) -> None:
        author = db.session.scalar(db.select(User).where(User.email == email))
        if author is None or not can_post_to_community(author):
            return
        if db.session.scalar(db.select(CommunityPost.id).where(CommunityPost.title == title)):
            return
        services.create_post(author, services.PostData(
            title=title, body=body, video_url=video_url, publication=self.publication(published)), photos)
        self.created["community posts"] += 1

    def posts(self) -> None:
        self.post("order@happylunch.example.kr", "어르신 도시락 나눔 행사를 마쳤습니다",
                  "수송동 경로당 어르신 120분께 따뜻한 도시락을 전해 드렸습니다. 함께해 주신 자원봉사자분들께 "
                  "감사드립니다.",
                  photos=[_file("나눔행사1.png", png_picture(640, 420, ((11, 110, 79), (231, 241, 236)))),
                          _file("나눔행사2.png", png_picture(640, 420, ((23, 92, 211), (239, 248, 255))))],
                  published=-3)
        self.post("info@neulpureun.example.kr", "공공건물 친환경 청소 교육 영상을 공유합니다",
                  "조합원 교육에 쓰는 친환경 세제 사용법 영상입니다. 필요한 기관과 기업은 자유롭게 보세요.",
                  video_url="https://www.youtube.com/watch?v=gunsanSE001", published=-1)

    def load(self) -> Counter[str]:
        if self.admin is None:  # the demo city comes first: the support center writes the notices
            return self.created
        self.pages()
        self.notices()
        self.resources()
        self.posts()
        db.session.flush()
        return self.created


def load_demo_content(today: date | None = None) -> Counter[str]:
    return ContentLoader(today).load()
