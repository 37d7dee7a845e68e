"""Screenshots of the workspace for the docs, from the demo data as its
analyst, in headless Chromium (Debian's chromium-driver, python3-selenium).
Run by scripts/screenshots, which passes WEB, ARCS_USER, ARCS_PASSWORD, OUT."""
import os
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

WEB = os.environ["WEB"].rstrip("/")
OUT = os.environ["OUT"]
CASE = os.environ.get("ARCS_CASE", "ARC-2021-0001")
NEW = "ARC-2025-0042"


def browser():
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
              "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync",
              "--hide-scrollbars", "--force-device-scale-factor=1",
              "--window-size=1280,900",
              "--user-data-dir=" + tempfile.mkdtemp(prefix="arcs-chrome-")):
        o.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def submit(d, id_):
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.ID, id_).find_element(By.XPATH, "ancestor::form").submit()
    WebDriverWait(d, 20).until(EC.staleness_of(old))


def shot(d, name):
    path = os.path.join(OUT, name)
    d.save_screenshot(path)
    print(path)


d = browser()
try:
    # the page itself 1280 x 900, whatever the window's frame takes
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
    d.get(WEB + "/login")
    d.find_element(By.ID, "login-user").send_keys(os.environ["ARCS_USER"])
    d.find_element(By.ID, "login-password").send_keys(os.environ["ARCS_PASSWORD"])
    submit(d, "login-user")
    if not d.current_url.endswith("/"):
        raise SystemExit("screenshots: the login failed (at %s)" % d.current_url)
    # the analyst's own work, so that home has some: a case with a subject,
    # entered through the forms (a second run is a retry and writes nothing)
    d.get(WEB + "/cases/new")
    d.find_element(By.ID, "case-ref").send_keys(NEW)
    d.find_element(By.ID, "case-title").send_keys("Shell companies in Cyprus: a consulting contract")
    d.find_element(By.CSS_SELECTOR, 'input[name="offence"][value="bribery"]').click()
    d.execute_script("arguments[0].value = arguments[1]",
                     d.find_element(By.ID, "case-opened"), "2025-02-03")
    d.find_element(By.ID, "case-jurisdiction-0").send_keys("victim:KZ")
    d.find_element(By.ID, "case-jurisdiction-1").send_keys("holding:CY")
    submit(d, "case-ref")
    if not d.current_url.endswith("/cases/" + NEW):
        raise SystemExit("screenshots: the case %s was not written (at %s)" % (NEW, d.current_url))
    d.find_element(By.ID, "subject-name").send_keys("Olive Tree Consulting Ltd")
    Select(d.find_element(By.ID, "subject-kind")).select_by_value("entity")
    Select(d.find_element(By.ID, "subject-role")).select_by_value("nominee")
    d.find_element(By.ID, "subject-country").send_keys("CY")
    submit(d, "subject-name")
    d.get(WEB + "/")
    shot(d, "workspace-home.png")
    d.get(WEB + "/cases/" + CASE)
    shot(d, "workspace-case.png")
    # the new-case form refused (422): a malformed reference, no title, a
    # date that does not exist, a jurisdiction without its role
    d.get(WEB + "/cases/new")
    d.find_element(By.ID, "case-ref").send_keys("arc 2025/1")
    d.execute_script("arguments[0].value = arguments[1]",
                     d.find_element(By.ID, "case-opened"), "2025-02-30")
    d.find_element(By.ID, "case-jurisdiction-0").send_keys("KZ")
    submit(d, "case-ref")
    shot(d, "workspace-new-case-errors.png")
finally:
    d.quit()
