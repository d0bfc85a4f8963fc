"""An OpenAPI 3.0 document (tests/fixtures/generality/fleet_30.yaml) generates a client that imports,
passes `mypy --strict` (with a typed usage script) and calls every operation against Prism with no
request violation.

Beyond the 3.1 library document it covers 3.0 spellings (`nullable`, `format: binary`), parameters,
bodies and responses from components, allOf inheritance under a discriminator, delimited query arrays,
integer and array headers, a required cookie, multipart with several files, a raw octet-stream body,
2xx codes with different bodies (a union), 200-or-204 (nullable) and boolean/number/enum path parameters.
"""

from __future__ import annotations

import importlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import yaml

from tests.generality.support import (
    FIXTURES,
    all_operations,
    assert_no_request_violations,
    import_module,
    multipart_parts,
    mypy_strict,
    served_operations,
    write_package,
)
from tests.support.prism import PrismServer, ViolationRecorder, running_prism

SPEC_PATH = FIXTURES / "fleet_30.yaml"

# Type-checked with the package: the signatures accept what a user passes, and the results have the
# types the document promises (a union for 201/202, None for 204, Optional for 200-or-204).
USAGE = '''
from __future__ import annotations

from fleet_sdk import FleetClient
from fleet_sdk.models import Car, Driver, DriversLoginResponse, Grade, Ticket, Truck, Vehicle


def use(client: FleetClient) -> None:
    fleet: dict[str, Car | Truck] = client.vehicles.list(region="eu", kinds=["car"], near=["Oslo"])
    made: Vehicle | Ticket = client.vehicles.register(kind="car", plate="X", notes=None)
    maybe: Vehicle | None = client.vehicles.set_odometer(vehicle_id=1, km=2.5, verified=True)
    client.vehicles.upload_photos(vehicle_id=1, photos=[b"raw", ("a.jpg", b"jpeg", "image/jpeg")])
    client.vehicles.upload_manual(vehicle_id=1, body=b"%PDF")
    drivers: list[Driver] = client.drivers.by_status(active=True, grade=Grade.INTEGER_2)
    token: DriversLoginResponse = client.drivers.login(username="u", password="p")
    print(fleet, made, maybe, drivers, token)
'''


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def package_root(spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fleet")
    build = write_package(spec, root)
    assert build.package == "fleet_sdk"
    (root / "usage.py").write_text(USAGE, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def fleet(package_root: Path) -> ModuleType:
    return import_module(package_root, "fleet_sdk")


@pytest.fixture(scope="module")
def prism() -> Iterator[PrismServer]:
    with running_prism(SPEC_PATH) as server:
        yield server


def test_fleet_client_and_its_usage_pass_mypy_strict(package_root: Path) -> None:
    result = mypy_strict(package_root, "fleet_sdk", "usage.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_api_key_comes_from_the_configured_variable(fleet: ModuleType,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEET_TOKEN", "from-env")
    assert fleet.FleetClient().api_key == "from-env"


def _calls(fleet: ModuleType) -> list[tuple[str, str, dict[str, Any]]]:
    models = importlib.import_module(fleet.__name__ + ".models")
    return [
        ("vehicles", "list", {"kinds": ["car", "truck"], "near": ["Oslo", "Bergen"], "x_page": 2,
                              "x_fields": ["plate", "kind"], "region": "eu", "limit": 5}),
        ("vehicles", "register", {"kind": "car", "plate": "AB-123", "driver": {"name": "Ann"},
                                  "notes": None}),
        ("vehicles", "set_odometer", {"vehicle_id": 3, "km": 1234.5, "verified": True}),
        ("vehicles", "upload_photos", {
            "vehicle_id": 3, "photos": [b"one", ("two.jpg", b"two", "image/jpeg")],
            # `meta` is left out here: Prism 5.16 does not parse JSON parts (test_multipart_json_part).
            "labels": ["front", "back"]}),
        ("vehicles", "upload_manual", {"vehicle_id": 3, "body": b"%PDF-1.7\n"}),
        ("drivers", "by_status", {"active": False, "grade": models.Grade.INTEGER_2,
                                  "legacy": "yes"}),
        ("drivers", "login", {"username": "ann", "password": "s3cret", "scopes": ["r", "w"],
                              "remember": True}),
        ("drivers", "legacy_export", {}),
    ]


@pytest.mark.prism
def test_every_operation_against_prism(fleet: ModuleType, spec: dict[str, Any],
                                       prism: PrismServer) -> None:
    recorder = ViolationRecorder()
    seen: list[httpx.Request] = []
    http = httpx.Client(transport=recorder.transport(), event_hooks={"request": [seen.append]})
    results: dict[str, Any] = {}
    failures: list[str] = []
    with fleet.FleetClient(api_key="k", base_url=prism.base_url, http_client=http) as client:
        for namespace, method, arguments in _calls(fleet):
            try:
                results[method] = getattr(getattr(client, namespace), method)(**arguments)
            except fleet.FleetClientError as exc:
                failures.append(f"{namespace}.{method}: {exc}")
    # `legacy` is a deprecated parameter, sent on purpose: Prism warns, and that is all it says.
    assert_no_request_violations(recorder, allowed_warnings=frozenset({"deprecated"}))
    assert [v.location for v in recorder.violations if v.code == "deprecated"] == [
        "request.query.legacy"]
    assert not failures, failures
    assert served_operations(spec, seen) == all_operations(spec)

    models = importlib.import_module(fleet.__name__ + ".models")
    assert all(isinstance(v, (models.Car, models.Truck)) for v in results["list"].values())
    assert isinstance(results["register"], (models.Vehicle, models.Ticket))
    assert results["upload_photos"] is None and results["upload_manual"] is None
    assert all(isinstance(d, models.Driver) for d in results["by_status"])
    assert isinstance(results["login"].token, str)

    by_path = {(r.method, r.url.raw_path.decode().partition("?")[0]): r for r in seen}
    listing = by_path["GET", "/vehicles"]
    assert listing.url.params["kinds"] == "car|truck"  # pipeDelimited
    assert listing.url.params["near"] == "Oslo Bergen"  # spaceDelimited
    assert listing.headers["x-page"] == "2" and listing.headers["x-fields"] == "plate,kind"
    assert listing.headers["cookie"] == "region=eu"
    assert json.loads(by_path["POST", "/vehicles"].read()) == {
        "kind": "car", "plate": "AB-123", "driver": {"name": "Ann"}, "notes": None}
    assert "/vehicles/3/odometer/1234.5" in by_path["PUT", "/vehicles/3/odometer/1234.5"].url.path
    photos = multipart_parts(by_path["POST", "/vehicles/3/photos"])
    assert photos == [
        ("photos", "photos", "application/octet-stream", b"one"),
        ("photos", "two.jpg", "image/jpeg", b"two"),
        ("labels", None, "text/plain", b"front"),
        ("labels", None, "text/plain", b"back"),
    ]
    manual = by_path["PUT", "/vehicles/3/manual"]
    assert manual.headers["content-type"] == "application/octet-stream"
    assert manual.read() == b"%PDF-1.7\n"
    assert ("GET", "/drivers/false/2") in by_path
    login = by_path["POST", "/drivers/login"]
    assert "authorization" not in login.headers  # `security: []`: no credential is sent
    assert parse_qs(login.read().decode()) == {
        "username": ["ann"], "password": ["s3cret"], "scopes": ["r", "w"], "remember": ["true"]}


def test_multipart_json_part_and_extra_body(fleet: ModuleType) -> None:
    models = importlib.import_module(fleet.__name__ + ".models")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with fleet.FleetClient(api_key="k", base_url="http://test", http_client=http) as client:
        client.vehicles.upload_photos(
            vehicle_id=1, photos=[io.BytesIO(b"jpeg")],
            meta=models.PhotoMeta(taken_at="2024-05-01T12:00:00Z", tags={"side": "left"}),
            extra_body={"note": 'odd "name"'})
    parts = multipart_parts(seen[0])
    assert parts == [
        ("photos", "photos", "application/octet-stream", b"jpeg"),
        ("meta", None, "application/json",
         b'{"taken_at":"2024-05-01T12:00:00Z","tags":{"side":"left"}}'),
        ("note", None, "text/plain", b'odd "name"'),
    ]
