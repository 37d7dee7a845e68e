"""arcs serve in a real browser (headless Chromium through chromedriver):
the analyst's day, the auditor's reading, and forged forms. Prints TAP-like
"ok - " / "not ok - " lines; the calling script checks the database."""
import os
import sys
import tempfile

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

WEB = os.environ["WEB"]
X1 = "<script>alert(1)</script>"
X2 = '"><img src=x onerror=alert(1)>'
CYR = ("Жанаозен" * 250)[:2000]
failed = 0


def check(cond, what):
    global failed
    print(("ok - " if cond else "not ok - ") + what, flush=True)
    if not cond:
        failed += 1


def browser():
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
              "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync",
              "--user-data-dir=" + tempfile.mkdtemp(prefix="arcs-chrome-")):
        o.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)


def inert(d, what):
    try:
        d.switch_to.alert
        check(False, what + ": no script ran")
    except NoAlertPresentException:
        check(True, what + ": no script ran")
    check(not d.find_elements(By.CSS_SELECTOR, "main img, main script"),
          what + ": no element came from a value")


def fill(d, id_, text):
    el = d.find_element(By.ID, id_)
    if el.get_attribute("type") == "date":
        # a date field's typing depends on the browser's locale: set its value
        d.execute_script("arguments[0].value = arguments[1]", el, text)
    else:
        el.clear()
        el.send_keys(text)


def pick(d, id_, value):
    Select(d.find_element(By.ID, id_)).select_by_value(value)


def loaded_after(d, action):
    """Run action, then wait until the page it leads to has replaced this one."""
    old = d.find_element(By.TAG_NAME, "html")
    action()
    WebDriverWait(d, 20).until(EC.staleness_of(old))
    WebDriverWait(d, 20).until(
        lambda x: x.execute_script("return document.readyState") == "complete")


def submit(d, id_):
    form = d.find_element(By.ID, id_).find_element(By.XPATH, "ancestor::form")
    loaded_after(d, form.submit)


def login(d, user, password):
    d.get(WEB + "/login")
    fill(d, "login-user", user)
    fill(d, "login-password", password)
    submit(d, "login-user")


def main_text(d):
    return d.find_element(By.TAG_NAME, "main").text


d = browser()
try:
    # the analyst
    login(d, "ana1", os.environ["ANA1_PW"])
    check(d.current_url == WEB + "/", "analyst logs in and lands on home")
    d.get(WEB + "/cases/new")
    fill(d, "case-ref", "ARC-B-1")
    fill(d, "case-title", X1)
    d.find_element(By.CSS_SELECTOR, 'input[name="offence"][value="embezzlement"]').click()
    fill(d, "case-opened", "2024-02-01")
    fill(d, "case-jurisdiction-0", "victim:KZ")
    fill(d, "case-jurisdiction-1", "holding:AT")
    submit(d, "case-ref")
    check(d.current_url == WEB + "/cases/ARC-B-1", "the new case's page opens")
    for name, kind, role in ((X2, "person", "defendant"), (CYR[:500], "entity", "nominee")):
        fill(d, "subject-name", name)
        pick(d, "subject-kind", kind)
        pick(d, "subject-role", role)
        submit(d, "subject-name")
    pick(d, "decision-kind", "freeze")
    fill(d, "decision-ref", "FRZ-B-1")
    fill(d, "decision-issuer", X1)
    fill(d, "decision-date", "2024-03-01")
    submit(d, "decision-ref")
    for kind, desc, ids in (("real_estate", CYR, X2), ("bank_account", "IBAN account", ""),
                            ("vehicle", X1, "")):
        pick(d, "asset-kind", kind)
        fill(d, "asset-desc", desc)
        fill(d, "asset-country", "AT")
        fill(d, "asset-identifiers", ids)
        fill(d, "asset-custodian", X1)
        submit(d, "asset-desc")
    ids = [s.get_attribute("id")[len("asset-"):]
           for s in d.find_elements(By.CSS_SELECTOR, "section[id^=asset-]")]
    check(len(ids) == 3, "three assets on the case page")
    a1 = ids[0]
    pick(d, "move-%s-to" % a1, "frozen")
    pick(d, "move-%s-decision" % a1, "FRZ-B-1")
    fill(d, "move-%s-date" % a1, "2024-03-02")
    fill(d, "move-%s-note" % a1, CYR)
    submit(d, "move-%s-to" % a1)
    state = d.find_element(By.CSS_SELECTOR, "#asset-%s .state" % a1).text
    check(state == "frozen", "the asset is frozen")
    offered = [o.get_attribute("value") for o in
               Select(d.find_element(By.ID, "move-%s-to" % a1)).options]
    check(offered == ["seized", "confiscated", "released"],
          "only the legal next states are offered: %s" % offered)
    text = main_text(d)
    inert(d, "case page")
    check(X1 in text and X2 in text, "<script> and \"><img onerror> come back as text, whole")
    check(CYR in text and CYR[:500] in text, "the Cyrillic texts come back whole")
    print("A1=" + a1, flush=True)

    # a forged illegal move: the option's value changed to one not offered
    sel = d.find_element(By.ID, "move-%s-to" % a1)
    d.execute_script("arguments[0].options[0].value = 'transferred_in_kind'", sel)
    pick(d, "move-%s-to" % a1, "transferred_in_kind")
    pick(d, "move-%s-decision" % a1, "FRZ-B-1")
    fill(d, "move-%s-date" % a1, "2024-03-05")
    submit(d, "move-%s-to" % a1)
    check("Nothing was written" in main_text(d), "a forged illegal move is refused")

    # a form without its csrf token
    d.get(WEB + "/cases/ARC-B-1")
    d.execute_script("document.querySelector('#subject-name').form"
                     ".querySelector('input[name=csrf]').remove()")
    fill(d, "subject-name", "No Token")
    pick(d, "subject-role", "victim")
    submit(d, "subject-name")
    check("csrf" in main_text(d) and d.find_element(By.TAG_NAME, "h1").text == "Not allowed",
          "a form without csrf is not allowed")

    # logout ends the session
    d.get(WEB + "/")
    # the logout form is submitted as its button would (a click can be
    # intercepted by a header that wraps on a narrow window)
    loaded_after(d, d.find_element(By.CSS_SELECTOR, "header form button").submit)
    check(d.current_url == WEB + "/login", "logout goes to the login page")
    d.get(WEB + "/cases/ARC-B-1")
    check(d.current_url == WEB + "/login", "after logout the case page asks for a login")

    # the auditor
    d.delete_all_cookies()
    login(d, "aud1", os.environ["AUD1_PW"])
    d.get(WEB + "/cases/ARC-B-1")
    text = main_text(d)
    check("FRZ-B-1" in text and "frozen" in text and CYR in text,
          "the auditor sees everything")
    check(not d.find_elements(By.CSS_SELECTOR, "main form"), "the auditor has no forms")
    inert(d, "auditor's case page")
    # a forged form, made in the page, with the auditor's own csrf token
    loaded_after(d, lambda: d.execute_script("""
        var f = document.createElement('form');
        f.method = 'post'; f.action = '/cases/ARC-B-1/subjects';
        var add = function (n, v) { var i = document.createElement('input');
            i.type = 'hidden'; i.name = n; i.value = v; f.appendChild(i); };
        add('csrf', document.querySelector('header input[name=csrf]').value);
        add('name', 'Eve'); add('kind', 'person'); add('role', 'defendant');
        document.body.appendChild(f); f.submit();"""))
    check("permission denied" in main_text(d), "the auditor's forged form is refused")
finally:
    d.quit()
print("browser checks failed: %d" % failed)
sys.exit(1 if failed else 0)
