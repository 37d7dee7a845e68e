/* Signed notes and checkpoints: C2SP and Go sumdb/note vectors, tampering,
   key files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arcs/note.h"

#define EM "\xE2\x80\x94"

static const char c2sp_vkey[] =
    "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
static const char c2sp_note[] = "This is an example message.\n"
                                "\n" EM " example.com/foo "
                                "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1E"
                                "RYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM="
                                "\n";

static const char go_skey[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char go_vkey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char go_text[] = "If you think cryptography is the answer to your problem,\n"
                              "then you don't know what your problem is.\n";
static const char go_line[] =
    EM " PeterNeumann "
       "x08go/ZJkuBS9UG/"
       "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

static arcs_status open_with(const char *note, const arcs_note_verifier *keys, size_t n,
                             size_t *nverified)
{
    arcs_note parsed = {0};
    arcs_err err;
    arcs_status st =
        arcs_note_open(&parsed, note, strlen(note), keys, n, nverified, &err);

    arcs_note_clear(&parsed);
    return st;
}

static void test_c2sp_vector(void **state)
{
    arcs_note_verifier v;
    arcs_note n = {0};
    size_t nv = 0;
    char *text = NULL;
    arcs_err err;

    (void)state;
    assert_int_equal(arcs_note_verifier_parse(&v, c2sp_vkey, strlen(c2sp_vkey), &err),
                     ARCS_OK);
    assert_string_equal(v.name, "example.com/foo");
    assert_int_equal(v.keyid, 0x530d903a);
    assert_int_equal(arcs_note_verifier_format(&text, NULL, &v, NULL), ARCS_OK);
    assert_string_equal(text, c2sp_vkey);
    free(text);

    assert_int_equal(arcs_note_open(&n, c2sp_note, strlen(c2sp_note), &v, 1, &nv, &err),
                     ARCS_OK);
    assert_int_equal(nv, 1);
    assert_int_equal(n.nsigs, 1);
    assert_true(n.sigs[0].verified);
    assert_string_equal(n.text, "This is an example message.\n");
    arcs_note_clear(&n);

    /* one changed byte of text fails */
    {
        char *t = strdup(c2sp_note);
        t[5] = 'X';
        assert_int_equal(open_with(t, &v, 1, NULL), ARCS_EVERIFY);
        free(t);
    }
}

static void test_go_vector(void **state)
{
    arcs_note_signer s;
    arcs_note_verifier v, mine;
    char *note = NULL, *vtext = NULL;
    size_t len = 0, nv = 0;
    arcs_err err;

    (void)state;
    assert_int_equal(arcs_note_signer_parse(&s, go_skey, strlen(go_skey), NULL, &err),
                     ARCS_OK);
    assert_string_equal(s.name, "PeterNeumann");
    assert_int_equal(s.keyid, 0xc74f20a3);
    arcs_note_signer_verifier(&mine, &s);
    assert_int_equal(arcs_note_verifier_format(&vtext, NULL, &mine, NULL), ARCS_OK);
    assert_string_equal(vtext, go_vkey);
    free(vtext);

    assert_int_equal(arcs_note_sign(&note, &len, go_text, strlen(go_text), &s, &err),
                     ARCS_OK);
    assert_int_equal(len, strlen(go_text) + 1 + strlen(go_line));
    assert_memory_equal(note, go_text, strlen(go_text));
    assert_int_equal(note[strlen(go_text)], '\n');
    assert_string_equal(note + strlen(go_text) + 1, go_line);

    assert_int_equal(arcs_note_verifier_parse(&v, go_vkey, strlen(go_vkey), &err),
                     ARCS_OK);
    assert_int_equal(open_with(note, &v, 1, &nv), ARCS_OK);
    assert_int_equal(nv, 1);

    /* the name argument must match the name inside a Go key */
    assert_int_equal(arcs_note_signer_parse(&s, go_skey, strlen(go_skey), "Other", &err),
                     ARCS_EINVAL);
    free(note);
    arcs_note_signer_clear(&s);
}

static void test_tampering(void **state)
{
    arcs_note_verifier c2sp, go, wrongid;
    char *t;
    size_t sig_at;

    (void)state;
    assert_int_equal(arcs_note_verifier_parse(&c2sp, c2sp_vkey, strlen(c2sp_vkey), NULL),
                     ARCS_OK);
    assert_int_equal(arcs_note_verifier_parse(&go, go_vkey, strlen(go_vkey), NULL),
                     ARCS_OK);

    /* tampered signature byte (inside the base64, away from the key id) */
    t = strdup(c2sp_note);
    sig_at = strlen("This is an example message.\n\n" EM " example.com/foo ") + 20;
    t[sig_at] = t[sig_at] == 'A' ? 'B' : 'A';
    assert_int_equal(open_with(t, &c2sp, 1, NULL), ARCS_EVERIFY);
    free(t);

    /* unknown key only: refused */
    assert_int_equal(open_with(c2sp_note, &go, 1, NULL), ARCS_EVERIFY);
    /* wrong key id with the right name and public key: not a known key */
    wrongid = c2sp;
    wrongid.keyid ^= 1;
    assert_int_equal(open_with(c2sp_note, &wrongid, 1, NULL), ARCS_EVERIFY);
    /* a verifier key text with a wrong id is refused when parsed */
    {
        char k[sizeof(c2sp_vkey)];
        arcs_note_verifier x;
        memcpy(k, c2sp_vkey, sizeof(k));
        k[strlen("example.com/foo+")] = '6';
        assert_int_equal(arcs_note_verifier_parse(&x, k, strlen(k), NULL), ARCS_EINVAL);
    }
    /* a witness cosignature of another algorithm (72 bytes after the key id,
       as tlog-cosignature) is kept as an unknown signature */
    {
        char *w = malloc(strlen(c2sp_note) + 200);
        arcs_note n = {0};
        size_t nv = 0;
        strcpy(w, c2sp_note); /* test-only */
        strcat(w, EM " witness.example "
                     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n");
        assert_int_equal(arcs_note_open(&n, w, strlen(w), &c2sp, 1, &nv, NULL), ARCS_OK);
        assert_int_equal(n.nsigs, 2);
        assert_int_equal(n.sigs[1].siglen, 72);
        assert_false(n.sigs[1].known);
        assert_int_equal(nv, 1);
        arcs_note_clear(&n);
        free(w);
    }
    /* both keys given: the known one verifies, the other is ignored */
    {
        arcs_note_verifier both[2] = {go, c2sp};
        size_t nv = 0;
        assert_int_equal(open_with(c2sp_note, both, 2, &nv), ARCS_OK);
        assert_int_equal(nv, 1);
    }
}

static void test_malformed_notes(void **state)
{
    static const char *bad[] = {
        "",
        "no blank line\n" EM " example.com/foo AAAAAAA=\n",
        "text\n\n",
        "text\n\n" EM " example.com/foo "
        "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1"
        "Yu72IneyaQM=",
        "text\n\n- example.com/foo AAAAAAA=\n",
        "text\n\n" EM " example.com/foo AAAA\n",          /* 3 bytes: < 5 */
        "text\n\n" EM " example.com/foo AAAAAAA\n",       /* bad padding */
        "text\n\n" EM " example.com/foo  AAAAAAA=\n",     /* two spaces */
        "text\n\n" EM " exa+mple AAAAAAA=\n",             /* '+' in name */
        "text\n\n" EM "example.com/foo AAAAAAA=\n",       /* no space after dash */
        "te\rxt\n\n" EM " example.com/foo AAAAAAA=\n",    /* control char */
        "text\n\n" EM " a AAAAAAA=\n" EM " a AAAAAAA=\n", /* duplicate */
        "text\n\n" EM " a AAAAAAA=\n\n",
        "\xff\n\n" EM " a AAAAAAA=\n",
    };
    arcs_note n = {0};
    arcs_err err;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        arcs_status st = arcs_note_parse(&n, bad[i], strlen(bad[i]), &err);
        if (st != ARCS_EINVAL)
            fail_msg("note %zu parsed: %s", i, bad[i]);
        assert_null(n.text);
    }
    /* text may hold blank lines: the signatures follow the last one */
    {
        const char *ok = "a\n\nb\n\n" EM " a AAAAAAA=\n";
        assert_int_equal(arcs_note_parse(&n, ok, strlen(ok), &err), ARCS_OK);
        assert_string_equal(n.text, "a\n\nb\n");
        assert_int_equal(n.nsigs, 1);
        assert_int_equal(n.sigs[0].siglen, 1);
        arcs_note_clear(&n);
    }
    /* more than 100 signatures */
    {
        size_t cap = 8 + 101 * 40, len = 0;
        char *big = malloc(cap);
        len += (size_t)snprintf(big, cap, "t\n\n");
        for (int i = 0; i < 101; i++)
            len += (size_t)snprintf(big + len, cap - len, EM " k%d AAAAAAA=\n", i);
        assert_int_equal(arcs_note_parse(&n, big, len, &err), ARCS_EINVAL);
        big[len - 1 - strlen(EM " k100 AAAAAAA=")] = '\0';
        assert_int_equal(arcs_note_parse(&n, big, strlen(big), &err), ARCS_OK);
        assert_int_equal(n.nsigs, 100);
        arcs_note_clear(&n);
        free(big);
    }
}

static void test_keygen_checkpoint_cosign(void **state)
{
    arcs_note_signer log, witness;
    arcs_note_verifier keys[2];
    arcs_checkpoint cp = {0}, back;
    char *text = NULL, *note = NULL, *note2 = NULL, *note3 = NULL;
    size_t tlen, nlen, n2len, n3len, nv;
    arcs_err err;

    (void)state;
    assert_int_equal(arcs_note_keygen(&log, "arcs.example/log", &err), ARCS_OK);
    assert_int_equal(arcs_note_keygen(&witness, "auditor.example", &err), ARCS_OK);
    assert_int_equal(arcs_note_keygen(&witness, "bad name", &err), ARCS_EINVAL);
    assert_int_equal(arcs_note_keygen(&witness, "auditor.example", &err), ARCS_OK);
    arcs_note_signer_verifier(&keys[0], &log);
    arcs_note_signer_verifier(&keys[1], &witness);

    snprintf(cp.origin, sizeof(cp.origin), "arcs.example/log");
    cp.size = 18446744073709551615ULL;
    for (int i = 0; i < 32; i++)
        cp.root[i] = (uint8_t)i;
    assert_int_equal(arcs_checkpoint_format(&text, &tlen, &cp, &err), ARCS_OK);
    assert_string_equal(text, "arcs.example/log\n18446744073709551615\n"
                              "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");
    assert_int_equal(arcs_note_sign(&note, &nlen, text, tlen, &log, &err), ARCS_OK);
    assert_int_equal(open_with(note, &keys[0], 1, &nv), ARCS_OK);
    assert_int_equal(open_with(note, &keys[1], 1, &nv), ARCS_EVERIFY);

    /* a witness cosigns; both verify; cosigning again is a no-op */
    assert_int_equal(arcs_note_cosign(&note2, &n2len, note, nlen, &witness, &err),
                     ARCS_OK);
    assert_int_equal(n2len, nlen + (n2len - nlen));
    assert_memory_equal(note2, note, nlen);
    assert_int_equal(open_with(note2, keys, 2, &nv), ARCS_OK);
    assert_int_equal(nv, 2);
    assert_int_equal(arcs_note_cosign(&note3, &n3len, note2, n2len, &witness, &err),
                     ARCS_OK);
    assert_int_equal(n3len, n2len);
    assert_string_equal(note3, note2);

    {
        arcs_note n = {0};
        assert_int_equal(arcs_note_open(&n, note2, n2len, keys, 2, NULL, &err), ARCS_OK);
        assert_int_equal(arcs_checkpoint_parse(&back, n.text, n.text_len, &err), ARCS_OK);
        assert_string_equal(back.origin, cp.origin);
        assert_true(back.size == cp.size);
        assert_memory_equal(back.root, cp.root, 32);
        arcs_note_clear(&n);
    }
    free(text);
    free(note);
    free(note2);
    free(note3);
    arcs_note_signer_clear(&log);
    arcs_note_signer_clear(&witness);
}

static void test_checkpoint_parse(void **state)
{
    static const char *bad[] = {
        "",
        "origin\n",
        "origin\n5\n",
        "\n5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",
        "origin\n05\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",
        "origin\n-5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",
        "origin\n18446744073709551616\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",
        "origin\n5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==\n",
        "origin\n5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "origin\n5\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n\n",
    };
    arcs_checkpoint cp;
    const char *ok = "origin\n0\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\next a\n";

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (arcs_checkpoint_parse(&cp, bad[i], strlen(bad[i]), NULL) != ARCS_EINVAL)
            fail_msg("checkpoint %zu parsed", i);
    assert_int_equal(arcs_checkpoint_parse(&cp, ok, strlen(ok), NULL), ARCS_OK);
    assert_true(cp.size == 0);
    assert_string_equal(cp.origin, "origin");
}

static void test_key_files(void **state)
{
    char dir[] = "/tmp/arcs-note-XXXXXX", path[256], path2[256];
    arcs_note_signer s, back;
    char *pem = NULL;
    size_t pemlen;
    int fd;
    arcs_err err;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/key.pem", dir);
    snprintf(path2, sizeof(path2), "%s/plain.pem", dir);
    assert_int_equal(arcs_note_keygen(&s, "arcs.example/log", &err), ARCS_OK);
    assert_int_equal(arcs_note_signer_pem(&pem, &pemlen, &s, &err), ARCS_OK);
    assert_memory_equal(
        pem, "arcs-key-name: arcs.example/log\n-----BEGIN PRIVATE KEY-----",
        strlen("arcs-key-name: arcs.example/log\n-----BEGIN PRIVATE KEY-----"));

    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pem, pemlen), (ssize_t)pemlen);
    close(fd);
    assert_int_equal(arcs_note_signer_load(&back, path, NULL, &err), ARCS_OK);
    assert_string_equal(back.name, "arcs.example/log");
    assert_int_equal(back.keyid, s.keyid);
    assert_memory_equal(back.pub, s.pub, 32);
    assert_int_equal(arcs_note_signer_load(&back, path, "other", &err), ARCS_EINVAL);

    /* group- or world-accessible key files are refused with a fix */
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(arcs_note_signer_load(&back, path, NULL, &err), ARCS_EINVAL);
    assert_non_null(strstr(err.msg, "chmod 600"));
    assert_int_equal(chmod(path, 0604), 0);
    assert_int_equal(arcs_note_signer_load(&back, path, NULL, &err), ARCS_EINVAL);
    assert_int_equal(chmod(path, 0400), 0);
    assert_int_equal(arcs_note_signer_load(&back, path, NULL, &err), ARCS_OK);

    /* a plain PEM (as openssl genpkey writes) needs the name from the caller */
    {
        const char *block = strstr(pem, "-----BEGIN");
        fd = open(path2, O_WRONLY | O_CREAT | O_EXCL, 0600);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, block, strlen(block)), (ssize_t)strlen(block));
        close(fd);
        assert_int_equal(arcs_note_signer_load(&back, path2, NULL, &err), ARCS_EINVAL);
        assert_int_equal(arcs_note_signer_load(&back, path2, "arcs.example/log", &err),
                         ARCS_OK);
        assert_int_equal(back.keyid, s.keyid);
    }
    assert_int_equal(arcs_note_signer_load(&back, "/nonexistent/key", NULL, &err),
                     ARCS_ERROR);
    {
        const char *junk = "arcs-key-name: x\nnot a key\n";
        assert_int_equal(arcs_note_signer_parse(&back, junk, strlen(junk), NULL, &err),
                         ARCS_EINVAL);
    }
    unlink(path);
    unlink(path2);
    rmdir(dir);
    free(pem);
    arcs_note_signer_clear(&s);
    arcs_note_signer_clear(&back);
}

static void test_base64(void **state)
{
    static const char *bad[] = {"A",    "AA",       "AAA",  "AA=A", "A===", "AB==",
                                "AAB=", "AA==AA==", "AA A", "====", "AA\n="};
    uint8_t *out = NULL;
    size_t n;
    char *enc = NULL;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (arcs_base64_decode(&out, &n, bad[i], strlen(bad[i]), NULL) != ARCS_EINVAL)
            fail_msg("base64 %s decoded", bad[i]);
    assert_int_equal(arcs_base64_decode(&out, &n, "Zm9vYmE=", 8, NULL), ARCS_OK);
    assert_int_equal(n, 5);
    assert_memory_equal(out, "fooba", 5);
    free(out);
    assert_int_equal(arcs_base64_decode(&out, &n, "", 0, NULL), ARCS_OK);
    assert_int_equal(n, 0);
    free(out);
    assert_int_equal(arcs_base64_encode(&enc, &n, "foobar", 6), ARCS_OK);
    assert_string_equal(enc, "Zm9vYmFy");
    free(enc);
    assert_int_equal(arcs_base64_encode(&enc, &n, "f", 1), ARCS_OK);
    assert_string_equal(enc, "Zg==");
    free(enc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c2sp_vector),
        cmocka_unit_test(test_go_vector),
        cmocka_unit_test(test_tampering),
        cmocka_unit_test(test_malformed_notes),
        cmocka_unit_test(test_keygen_checkpoint_cosign),
        cmocka_unit_test(test_checkpoint_parse),
        cmocka_unit_test(test_key_files),
        cmocka_unit_test(test_base64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
