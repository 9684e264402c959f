"""Official documents through the API: issue, download (PDF), verify publicly; PNG previews.

The PDFs are read back with poppler-utils (``pdftotext``) and rendered with ``pdftoppm``; with
``PORTAL_DOC_PREVIEWS=1`` the first pages are written to ``docs/documents/`` for the README.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from portal.core.ids import encode_global_id
from portal.performance.enums import Aspect, BerAkhlak, Predikat, Rating, RhkKind
from portal.performance.tables import (
    Evaluation,
    EvaluationBehaviour,
    EvaluationIndicator,
    Indicator,
    Rhk,
    Skp,
    SkpExpectation,
)
from support import performance_factory as pf
from support.api import Api
from support.factories import Factory

ROOT = Path(__file__).resolve().parents[3]
PREVIEWS = ROOT / "docs" / "documents"
TOOLS = {name: shutil.which(name) or name for name in ("pdftotext", "pdftoppm")}
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils missing: run `make pdf-deps`"
)


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


async def rated(api: Api, factory: Factory) -> tuple[pf.World, int, int]:
    """Staff's SKP (rater boss, boss's superior head) with real texts, and a FINAL annual
    evaluation rated Baik."""
    world = await pf.build_world(api, factory)
    staff, boss, head = (world.people[k] for k in ("staff", "boss", "head"))
    skp = await pf.approved_skp(
        staff,
        boss,
        world.year.annual,
        [(RhkKind.UTAMA, 12000, Aspect.KUANTITAS), (RhkKind.TAMBAHAN, 4, Aspect.KUANTITAS)],
    )
    await Skp.update(
        {
            Skp.rater_superior: head.id,
            Skp.resources: "Vaksin dan rantai dingin dari Dinas Kesehatan; aplikasi e-Kinerja.",
            Skp.accountability: "Laporan bulanan capaian imunisasi kepada Kepala Puskesmas.",
            Skp.consequences: "Capaian menjadi dasar penilaian kinerja dan TPP.",
        }
    ).where(Skp.id == skp.skp_id)
    texts = [
        ("Cakupan imunisasi dasar lengkap di wilayah kerja meningkat", "Dosis vaksin diberikan"),
        ("Penyuluhan kesehatan di posyandu terlaksana", "Sesi penyuluhan"),
    ]
    for (rhk_text, indicator_text), indicator_id in zip(texts, skp.indicator_ids, strict=True):
        (row,) = await Indicator.select(Indicator.rhk).where(Indicator.id == indicator_id)
        await Rhk.update({Rhk.description: rhk_text}).where(Rhk.id == row["rhk"])
        await Indicator.update(
            {Indicator.description: indicator_text, Indicator.unit: "dosis"}
        ).where(Indicator.id == indicator_id)
    await SkpExpectation.insert(
        *(
            SkpExpectation(skp=skp.skp_id, value=v.value, expectation=f"Menunjukkan {v.label}")
            for v in BerAkhlak
        )
    )
    evaluation_id = await pf.evaluation(staff, boss, skp.skp_id, world.year.annual, Predikat.BAIK)
    await Evaluation.update(
        {
            Evaluation.hasil_rating: Rating.SESUAI_EKSPEKTASI.value,
            Evaluation.perilaku_rating: Rating.SESUAI_EKSPEKTASI.value,
            Evaluation.feedback: "Pertahankan ketepatan pencatatan vaksinasi.",
        }
    ).where(Evaluation.id == evaluation_id)
    await EvaluationBehaviour.update({EvaluationBehaviour.note: "Sesuai pengamatan."}).where(
        EvaluationBehaviour.evaluation == evaluation_id
    )
    await EvaluationIndicator.insert(
        EvaluationIndicator(evaluation=evaluation_id, indicator=skp.indicator_ids[0],
                            realisation=12480.0, feedback="Di atas target"),
    )  # fmt: skip
    return world, skp.skp_id, evaluation_id


async def issue(api: Api, token: str, **ids: str) -> dict[str, Any]:
    data = await api.data("IssueOfficialDocument", {"input": ids}, token=token)
    payload: dict[str, Any] = data["issueOfficialDocument"]
    return payload


def pdf_text(body: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(body)
    out = subprocess.run(
        [TOOLS["pdftotext"], "-raw", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return " ".join(out.stdout.decode().split())  # table cells wrap: compare words


def preview(body: bytes, tmp_path: Path, name: str) -> Path:
    """Render the first page as PNG (and keep it for the README when asked)."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(body)
    subprocess.run(
        [TOOLS["pdftoppm"], "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(path),
         str(tmp_path / name)],
        check=True, timeout=60,
    )  # fmt: skip
    png = tmp_path / f"{name}.png"
    if os.environ.get("PORTAL_DOC_PREVIEWS") == "1":
        PREVIEWS.mkdir(parents=True, exist_ok=True)
        shutil.copy(png, PREVIEWS / png.name)
    return png


@needs_poppler
async def test_evaluation_document_downloads_and_verifies(
    api: Api, factory: Factory, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    # given staff's FINAL annual evaluation
    world, _, evaluation_id = await rated(api, factory)
    staff, boss, head = (world.people[k] for k in ("staff", "boss", "head"))

    # when staff issues its document
    issued = await issue(api, world.token("staff"), evaluationId=gid("Evaluation", evaluation_id))

    # then it has a number, a code and a download path
    assert issued["userErrors"] == []
    document = issued["document"]
    assert document["number"].startswith("800/EKP/")
    assert document["verifyUrl"].endswith(f"/verifikasi/{document['verificationCode']}")
    # and the PDF carries the official layout with the three names and NIPs, number and code
    auth = {"Authorization": f"Bearer {world.token('staff')}"}
    response = await client.get(document["downloadPath"], headers=auth)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path, "evaluasi")
    assert "DOKUMEN EVALUASI KINERJA PEGAWAI" in text
    for person in (staff, boss, head):
        assert person.nip in text
    assert "Perawat Satu" in text
    assert "Kepala Puskesmas" in text
    assert document["number"] in text
    assert document["verificationCode"] in text
    assert "Baik" in text
    assert "12.480 dosis" in text
    png = preview(response.content, tmp_path, "dokumen-evaluasi-kinerja")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # and issuing again gives the same document
    again = await issue(api, world.token("boss"), evaluationId=gid("Evaluation", evaluation_id))
    assert again["document"]["number"] == document["number"]

    # when anyone opens the verification page, without logging in
    page = await client.get(f"/verifikasi/{document['verificationCode'].lower()}")

    # then it shows what the document shows about people and the result, nothing else
    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    for person in (staff, boss, head):
        assert person.nip in page.text
    assert "Baik" in page.text
    assert document["number"] in page.text
    assert "Pertahankan ketepatan" not in page.text  # the rater's note stays in the document
    missing = await client.get("/verifikasi/AAAA-BBBB-CCCC")
    assert missing.status_code == 404


@needs_poppler
async def test_skp_document_has_its_lampiran(
    api: Api, factory: Factory, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    world, skp_id, _ = await rated(api, factory)
    issued = await issue(api, world.token("boss"), skpId=gid("Skp", skp_id))
    assert issued["userErrors"] == []
    document = issued["document"]
    auth = {"Authorization": f"Bearer {world.token('boss')}"}
    response = await client.get(document["downloadPath"], headers=auth)
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path, "skp")
    assert "SASARAN KINERJA PEGAWAI" in text
    assert "LAMPIRAN SASARAN KINERJA PEGAWAI" in text
    assert "Cakupan imunisasi dasar lengkap" in text
    assert "Menunjukkan Berorientasi Pelayanan" in text
    assert "Laporan bulanan capaian imunisasi" in text
    assert document["number"].startswith("800/SKP/")
    preview(response.content, tmp_path, "sasaran-kinerja-pegawai")


async def test_documents_follow_who_may_read_the_evaluation(
    api: Api, factory: Factory, client: httpx.AsyncClient
) -> None:
    world, skp_id, evaluation_id = await rated(api, factory)
    evaluation = gid("Evaluation", evaluation_id)
    # an outsider and the other OPD's admin learn nothing
    for who in ("outsider", "admin_other", "peer"):
        refused = await issue(api, world.token(who), evaluationId=evaluation)
        assert [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"], who
        response = await client.get(
            f"/documents/evaluation/{evaluation}",
            headers={"Authorization": f"Bearer {world.token(who)}"},
        )
        assert response.status_code == 404, who
    # without a token: 401
    response = await client.get(f"/documents/skp/{gid('Skp', skp_id)}")
    assert response.status_code == 401
    # both ids, or none: a field error
    both = await issue(api, world.token("staff"), evaluationId=evaluation, skpId=gid("Skp", skp_id))
    assert [e["code"] for e in both["userErrors"]] == ["INVALID_VALUE"]
