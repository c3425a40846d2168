#!/usr/bin/env python3
"""Independent oracle for `ebmlab field` (MODEL.md section 1), Python standard library only.

Usage:  python3 field_oracle.py /path/to/ebmlab [--self-test-only]

Re-implements the ellipse latent-variable EBM from the written contract alone (not from the
C++ sources), runs `ebmlab field` on reproducible random cases, and compares every CSV value.
Exit status 0 if every check passes, 1 otherwise; the last line is `N passed, M failed`.
"""

import csv
import math
import os
import random
import subprocess
import sys
import tempfile

TWO_PI = 2.0 * math.pi
EPS = sys.float_info.epsilon
SEED = 20240611
REL_TOL = 1e-12
COORD_TOL = 1e-15
POSTERIOR_ABS_FLOOR = 1e-15

# ----------------------------------------------------------------------------------------------
# The model (MODEL.md section 1), written from the contract.
# ----------------------------------------------------------------------------------------------


def energy(y1, y2, w1, w2, z):
    """E(y, z) = (y1 - w1 cos z)^2 + (y2 - w2 sin z)^2."""
    a = y1 - w1 * math.cos(z)
    b = y2 - w2 * math.sin(z)
    return a * a + b * b


def sampled_z(n):
    """Z_N = {2 pi k / N : k = 0..N-1}."""
    return [TWO_PI * k / n for k in range(n)]


def snap_index(z, n):
    """Index of the sampled latent nearest to z (ties to the smaller k).

    The cases generated below never put z within 1e-6 of a tie nor in the wrap-around half bin
    (2 pi (N - 1/2)/N, 2 pi), where "nearest" would depend on whether distance is circular."""
    t = z * n / TWO_PI
    k = math.ceil(t - 0.5)
    return min(max(k, 0), n - 1)


def log_mean_exp_neg(beta, energies, emin):
    """log( mean_k exp(-beta (E_k - emin)) ), stable for every beta > 0.

    With d_k = E_k - emin >= 0, the mean is 1 + S with S = mean(expm1(-beta d_k)) in (-1, 0].
    log1p(S) keeps full precision when S is small (hot: beta -> 0, where the naive sum would
    round every term to 1); when S is near -1 (cold) the plain sum of exp(-beta d_k) >= 1 is
    used instead, because 1 + S would then lose relative precision."""
    n = len(energies)
    s = math.fsum(math.expm1(-beta * (e - emin)) for e in energies) / n
    if s > -0.5:
        return math.log1p(s)
    return math.log(math.fsum(math.exp(-beta * (e - emin)) for e in energies) / n)


def free_energy_from(beta, energies, emin):
    if math.isinf(beta):
        return emin
    return emin - log_mean_exp_neg(beta, energies, emin) / beta


# -- sampled latent ------------------------------------------------------------------------------


def sampled_values(y1, y2, w1, w2, n):
    return [energy(y1, y2, w1, w2, z) for z in sampled_z(n)]


def f_inf_sampled(y1, y2, w1, w2, n):
    return min(sampled_values(y1, y2, w1, w2, n))


def f_beta_sampled(y1, y2, w1, w2, n, beta):
    es = sampled_values(y1, y2, w1, w2, n)
    return free_energy_from(beta, es, min(es))


def posterior_sampled(y1, y2, w1, w2, n, beta, k):
    es = sampled_values(y1, y2, w1, w2, n)
    emin = min(es)
    total = math.fsum(math.exp(-beta * (e - emin)) for e in es)
    return math.exp(-beta * (es[k] - emin)) / total


# -- continuous latent ---------------------------------------------------------------------------


def _dE(y1, y2, w1, w2, z):
    c, s = math.cos(z), math.sin(z)
    return 2.0 * (w1 * y1 * s - w2 * y2 * c + (w2 * w2 - w1 * w1) * s * c)


def _d2E(y1, y2, w1, w2, z):
    c, s = math.cos(z), math.sin(z)
    return 2.0 * (w1 * y1 * c + w2 * y2 * s + (w2 * w2 - w1 * w1) * (c * c - s * s))


def f_inf_continuous(y1, y2, w1, w2, samples=2048):
    """Squared distance from y to the ellipse: min over z in [0, 2 pi) of E(y, z).

    Dense sampling finds every basin (E is a degree-2 trigonometric polynomial, so it has at most
    two local minima); each sampled local minimum is refined by golden-section search down to the
    resolution of the floating-point grid, then polished by guarded Newton steps on E'(z) = 0.
    Near a minimum E is quadratic in z, so an error dz in z costs only ~E''dz^2 in E: the result
    is the true minimum to within rounding of E itself."""
    h = TWO_PI / samples
    es = [energy(y1, y2, w1, w2, j * h) for j in range(samples)]
    best = min(es)
    candidates = [j for j in range(samples) if es[j] <= es[j - 1] and es[j] <= es[(j + 1) % samples]]
    gr = (math.sqrt(5.0) - 1.0) / 2.0
    for j in candidates:
        a, b = (j - 1) * h, (j + 1) * h
        c = b - gr * (b - a)
        d = a + gr * (b - a)
        fc, fd = energy(y1, y2, w1, w2, c), energy(y1, y2, w1, w2, d)
        for _ in range(200):
            if b - a <= 4.0 * EPS * max(1.0, abs(a)):
                break
            if fc <= fd:
                b, d, fd = d, c, fc
                c = b - gr * (b - a)
                fc = energy(y1, y2, w1, w2, c)
            else:
                a, c, fc = c, d, fd
                d = a + gr * (b - a)
                fd = energy(y1, y2, w1, w2, d)
        z = c if fc <= fd else d
        ez = min(fc, fd)
        for _ in range(8):  # guarded Newton polish
            h2 = _d2E(y1, y2, w1, w2, z)
            if h2 <= 0.0:
                break
            zn = z - _dE(y1, y2, w1, w2, z) / h2
            en = energy(y1, y2, w1, w2, zn)
            if not en < ez:
                break
            z, ez = zn, en
        best = min(best, ez)
    return best


def _trapezoid_log_mean(y1, y2, w1, w2, beta, emin, nodes):
    es = [energy(y1, y2, w1, w2, TWO_PI * j / nodes) for j in range(nodes)]
    return log_mean_exp_neg(beta, es, emin)


def continuous_log_mean(y1, y2, w1, w2, beta, emin, scale):
    """log((1/2 pi) * integral over [0, 2 pi) of exp(-beta (E - emin)) dz), by the trapezoid rule.

    The integrand is periodic and analytic, so the trapezoid rule converges exponentially.
    Node counts are doubled until two successive log-means agree to min(1e-14 beta S, 1e-14): that
    is 1e-14 * S in units of energy (for F_beta = emin - logmean/beta) and 1e-14 relative (for the
    posterior density, which is proportional to exp(-logmean)). The threshold sits a little above
    the rounding noise (~eps * beta * S for small beta). Once the rule resolves the integrand's
    bandwidth the error falls faster than geometrically, so the finer result is correct to far
    better than the 1e-12 tolerance used for comparisons."""
    nodes = 512
    prev = _trapezoid_log_mean(y1, y2, w1, w2, beta, emin, nodes)
    while True:
        nodes *= 2
        cur = _trapezoid_log_mean(y1, y2, w1, w2, beta, emin, nodes)
        if abs(cur - prev) <= min(1e-14 * beta * scale, 1e-14):
            return cur
        if nodes >= 1 << 18:
            raise RuntimeError("oracle quadrature did not converge (beta=%r)" % beta)
        prev = cur


def f_beta_continuous(y1, y2, w1, w2, beta):
    emin = f_inf_continuous(y1, y2, w1, w2)
    if math.isinf(beta):
        return emin
    scale = y1 * y1 + y2 * y2 + w1 * w1 + w2 * w2 + 1e-300
    return emin - continuous_log_mean(y1, y2, w1, w2, beta, emin, scale) / beta


def posterior_density_continuous(y1, y2, w1, w2, beta, z):
    """exp(-beta E(y,z)) / integral_0^{2 pi} exp(-beta E(y,z')) dz'  (a density w.r.t. dz)."""
    emin = f_inf_continuous(y1, y2, w1, w2)
    scale = y1 * y1 + y2 * y2 + w1 * w1 + w2 * w2 + 1e-300
    log_mean = continuous_log_mean(y1, y2, w1, w2, beta, emin, scale)
    return math.exp(-beta * (energy(y1, y2, w1, w2, z) - emin) - log_mean) / TWO_PI


def expected_value(case, y1, y2):
    f, beta, (w1, w2), latents, z = case["field"], case["beta"], case["w"], case["latents"], case["z"]
    if latents == "continuous":
        if f == "F":
            return f_beta_continuous(y1, y2, w1, w2, beta)
        if f == "Finf":
            return f_inf_continuous(y1, y2, w1, w2)
        if f == "E":
            return energy(y1, y2, w1, w2, z)
        return posterior_density_continuous(y1, y2, w1, w2, beta, z)
    n = latents
    if f == "F":
        return f_inf_sampled(y1, y2, w1, w2, n) if math.isinf(beta) else f_beta_sampled(y1, y2, w1, w2, n, beta)
    if f == "Finf":
        return f_inf_sampled(y1, y2, w1, w2, n)
    k = snap_index(z, n)
    if f == "E":
        return energy(y1, y2, w1, w2, TWO_PI * k / n)
    return posterior_sampled(y1, y2, w1, w2, n, beta, k)


# ----------------------------------------------------------------------------------------------
# Tolerances.
#
# Values are compared relatively at REL_TOL = 1e-12, but every energy-valued field (F, Finf, E)
# is a difference-free combination of terms of size ~ S = |y|^2 + w1^2 + w2^2: E expands to
# |y|^2 - 2(y1 w1 cos z + y2 w2 sin z) + w1^2 cos^2 z + w2^2 sin^2 z, and F_beta is a weighted
# mean of such E (its weights sum to one, so an error dE in the E_k moves F by at most dE).
# Near the manifold E and F are tiny results of cancelling O(S) terms, and any correct double
# implementation is only accurate there to a few ulps of S, not of the result. Hence the
# absolute floor REL_TOL * S: the error is judged against max(|expected|, S).
#
# Posteriors are exp(-beta (E_k - m)) / sum: an absolute error dE in any E (rounding ~ a few ulps
# of S, plus |dE/dz| * ulp(z) if z_k = 2 pi k / N is formed in a different but equally valid order;
# |dE/dz| <= 2 S) becomes a relative error up to 2 beta dE in the probability. With dE <= 32 eps S
# the relative tolerance is therefore max(REL_TOL, 64 beta eps S); it reduces to 1e-12 unless
# beta * S > ~7000. Probabilities can also be astronomically small (N large, beta large), so the
# absolute floor 1e-15 applies as well.
# ----------------------------------------------------------------------------------------------


def scale_of(case, y1, y2):
    w1, w2 = case["w"]
    return y1 * y1 + y2 * y2 + w1 * w1 + w2 * w2


def error_measure(case, y1, y2, expected, got):
    """Error normalised so that <= 1 means pass; also returns the plain relative error."""
    if math.isnan(got) or math.isinf(got):
        return float("inf"), float("inf")
    diff = abs(got - expected)
    rel = diff / abs(expected) if expected != 0.0 else (0.0 if diff == 0.0 else float("inf"))
    s = scale_of(case, y1, y2)
    if case["field"] == "posterior":
        beta = case["beta"]
        rtol = max(REL_TOL, 64.0 * beta * EPS * s)
        allowed = max(rtol * abs(expected), POSTERIOR_ABS_FLOOR)
    else:
        allowed = REL_TOL * max(abs(expected), s)
    return diff / allowed, rel


# ----------------------------------------------------------------------------------------------
# Running the binary.
# ----------------------------------------------------------------------------------------------


def fmt(x):
    if math.isinf(x):
        return "inf"
    return repr(float(x))


def grid_coord(lo, hi, i, n):
    if i == n - 1:
        return hi
    return lo + (hi - lo) * i / (n - 1)


def case_args(case, out):
    nx, ny = case["grid"]
    x0, x1, y0, y1 = case["range"]
    args = ["field", "--field", case["field"], "--beta", fmt(case["beta"]),
            "--w", "%s,%s" % (fmt(case["w"][0]), fmt(case["w"][1])),
            "--latents", str(case["latents"]),
            "--range", ",".join(fmt(v) for v in (x0, x1, y0, y1)),
            "--grid", "%dx%d" % (nx, ny)]
    if case["z"] is not None:
        args += ["--z", fmt(case["z"])]
    return args + ["--out", out]


def describe(case):
    return "field=%s beta=%s w=(%.6g,%.6g) latents=%s range=(%.4g,%.4g,%.4g,%.4g) grid=%dx%d z=%s" % (
        case["field"], "inf" if math.isinf(case["beta"]) else "%.6g" % case["beta"], case["w"][0], case["w"][1],
        case["latents"], *case["range"], *case["grid"], "-" if case["z"] is None else "%.6g" % case["z"])


def run(binary, args, timeout=120):
    return subprocess.run([binary] + args, capture_output=True, text=True, timeout=timeout)


def check_case(binary, case, tmpdir, index):
    """Returns (ok, message)."""
    out = os.path.join(tmpdir, "case%03d.csv" % index)
    try:
        proc = run(binary, case_args(case, out))
    except subprocess.TimeoutExpired:
        return False, "timed out"
    if proc.returncode != 0:
        return False, "exit status %d, stderr: %s" % (proc.returncode, proc.stderr.strip()[:300])
    try:
        with open(out, newline="") as fh:
            text = fh.read()
    except OSError as exc:
        return False, "no output file: %s" % exc
    lines = text.splitlines()
    if not lines or lines[0] != "y1,y2,value":
        return False, "bad header %r" % (lines[0] if lines else "")
    rows = list(csv.reader(lines[1:]))
    nx, ny = case["grid"]
    if len(rows) != nx * ny:
        return False, "expected %d rows, got %d" % (nx * ny, len(rows))
    x0, x1, y0, y1 = case["range"]
    coord_scale = max(1.0, abs(x0), abs(x1), abs(y0), abs(y1))
    worst, worst_rel, worst_detail = 0.0, 0.0, ""
    r = 0
    for j in range(ny):          # y2 in the outer loop ...
        for i in range(nx):      # ... y1 in the inner loop, both low to high
            row = rows[r]
            r += 1
            if len(row) != 3:
                return False, "row %d has %d fields" % (r, len(row))
            for tok in row:
                try:
                    v = float(tok)
                except ValueError:
                    return False, "row %d: not a number %r" % (r, tok)
                if "%.17g" % v != tok:
                    return False, "row %d: %r is not printed as %%.17g" % (r, tok)
            g1, g2, got = (float(t) for t in row)
            e1, e2 = grid_coord(x0, x1, i, nx), grid_coord(y0, y1, j, ny)
            if abs(g1 - e1) > COORD_TOL * coord_scale or abs(g2 - e2) > COORD_TOL * coord_scale:
                return False, "row %d: coordinates (%r,%r), expected (%r,%r) (row order or grid wrong)" % (
                    r, g1, g2, e1, e2)
            if (i == nx - 1 and g1 != x1) or (i == 0 and g1 != x0) or (j == ny - 1 and g2 != y1) or (j == 0 and g2 != y0):
                return False, "row %d: grid end points not exact: (%r,%r)" % (r, g1, g2)
            # Evaluate the oracle at the coordinates actually printed (they round-trip exactly).
            expected = expected_value(case, g1, g2)
            measure, rel = error_measure(case, g1, g2, expected, got)
            worst_rel = max(worst_rel, rel) if expected != 0.0 else worst_rel
            if measure > worst or (measure == float("inf")):
                worst = measure
                worst_detail = "at y=(%r,%r): expected %.17g, got %.17g" % (g1, g2, expected, got)
    msg = "max rel err %.3g (normalised %.3g)" % (worst_rel, worst)
    if worst > 1.0:
        return False, msg + " " + worst_detail
    return True, msg


# ----------------------------------------------------------------------------------------------
# Random cases.
# ----------------------------------------------------------------------------------------------


def log_uniform(rng, lo, hi):
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def random_z(rng, latents):
    """A z in [0, 2 pi) that is not within 1e-6 (in units of one bin) of a tie between two sampled
    latents and not in the wrap-around half bin, so "nearest" is unambiguous."""
    while True:
        z = rng.uniform(0.0, TWO_PI)
        if latents == "continuous" or latents == 1:
            return z
        t = z * latents / TWO_PI
        frac = t - math.floor(t)
        if abs(frac - 0.5) > 1e-6 and t < latents - 0.5:
            return z


def make_cases():
    rng = random.Random(SEED)
    fields = ["F", "Finf", "E", "posterior"]
    special_n = [1, 2, 3, 48, 200, 7]
    cases = []
    for idx in range(48):
        field = fields[idx % 4]
        if idx % 3 == 2:
            latents = "continuous"
        elif idx < len(special_n) * 2 and idx % 2 == 0:
            latents = special_n[idx // 2]
        else:
            latents = rng.randint(1, 200)
        w = [rng.uniform(-3.0, 3.0), rng.uniform(-3.0, 3.0)]
        if idx % 11 == 3:
            w[0] = 0.0
        elif idx % 11 == 7:
            w[1] = 0.0
        elif idx % 13 == 5:
            w[1] = w[0]               # circle
        if w[0] > 0 and w[1] > 0 and idx % 5 == 1:
            w[0] = -w[0]              # make sure negatives occur
        beta = log_uniform(rng, 1e-3, 1e2)
        if field in ("F", "Finf") and idx % 8 in (0, 1):
            beta = float("inf")
        a, b = sorted(rng.uniform(-4.0, 4.0) for _ in range(2))
        c, d = sorted(rng.uniform(-4.0, 4.0) for _ in range(2))
        grid = (rng.randint(3, 7), rng.randint(3, 7))
        z = random_z(rng, latents)
        if field in ("F", "Finf") and idx % 2 == 0:
            z = None                  # --z is optional for these and must be ignored otherwise
        cases.append({"field": field, "beta": beta, "w": tuple(w), "latents": latents,
                      "range": (a, b, c, d), "grid": grid, "z": z})
    # A few hand-picked ones: the default model, the hot and cold ends, the decoder collapsed to 0.
    cases.append({"field": "F", "beta": 1.0, "w": (2.0, 1.5), "latents": 48,
                  "range": (-3.0, 3.0, -2.5, 2.5), "grid": (7, 5), "z": None})
    cases.append({"field": "F", "beta": 1e-3, "w": (2.0, 1.5), "latents": "continuous",
                  "range": (-4.0, 4.0, -4.0, 4.0), "grid": (5, 5), "z": None})
    cases.append({"field": "F", "beta": 100.0, "w": (-2.5, 3.0), "latents": "continuous",
                  "range": (-3.5, 3.5, -3.5, 3.5), "grid": (7, 7), "z": None})
    cases.append({"field": "posterior", "beta": 100.0, "w": (2.0, 1.5), "latents": 200,
                  "range": (-4.0, 4.0, -4.0, 4.0), "grid": (5, 5), "z": 1.0})
    cases.append({"field": "Finf", "beta": 1.0, "w": (0.0, 0.0), "latents": "continuous",
                  "range": (-1.0, 2.0, -3.0, 0.5), "grid": (3, 4), "z": None})
    cases.append({"field": "posterior", "beta": 0.5, "w": (1.0, 1.0), "latents": "continuous",
                  "range": (-2.0, 2.0, -2.0, 2.0), "grid": (3, 3), "z": 4.0})
    return cases


# ----------------------------------------------------------------------------------------------
# Error contract.
# ----------------------------------------------------------------------------------------------


def error_checks(binary, tmpdir):
    base = {"--field": "F", "--beta": "1", "--w": "2,1.5", "--latents": "48",
            "--range": "-3,3,-3,3", "--grid": "4x4"}

    def argv(overrides, out, extra=()):
        opts = dict(base)
        opts.update(overrides)
        a = ["field"]
        for k, v in opts.items():
            a += [k, v]
        return a + list(extra) + ["--out", out]

    specs = [("unknown option", {}, ["--frobnicate", "1"]),
             ("malformed number --beta abc", {"--beta": "abc"}, []),
             ("--beta 0", {"--beta": "0"}, []),
             ("--beta -1", {"--beta": "-1"}, []),
             ("--latents 0", {"--latents": "0"}, []),
             ("empty range X0 == X1", {"--range": "1,1,-3,3"}, [])]
    results = []
    for n, (name, over, extra) in enumerate(specs):
        out = os.path.join(tmpdir, "err%02d.csv" % n)
        results.append((name, argv(over, out, extra), out))
    bad_dir = "/nonexistent_dir"
    results.append(("unwritable path " + bad_dir + "/f.csv", argv({}, bad_dir + "/f.csv"), bad_dir + "/f.csv"))

    outcome = []
    for name, a, out in results:
        try:
            proc = run(binary, a, timeout=60)
        except subprocess.TimeoutExpired:
            outcome.append((False, name, "timed out"))
            continue
        problems = []
        if proc.returncode != 2:
            problems.append("exit status %d (want 2)" % proc.returncode)
        err = proc.stderr
        if not err.strip():
            problems.append("empty stderr")
        elif len(err.rstrip("\n").split("\n")) != 1:
            problems.append("stderr has %d lines" % len(err.rstrip("\n").split("\n")))
        if os.path.exists(out):
            problems.append("output file left behind")
        msg = "; ".join(problems) if problems else "exit 2, stderr: %s" % err.strip()
        outcome.append((not problems, name, msg))
    # The well-formed base command must succeed (so the failures above are due to the one change).
    out = os.path.join(tmpdir, "err_base.csv")
    proc = run(binary, argv({}, out), timeout=60)
    ok = proc.returncode == 0 and os.path.exists(out)
    outcome.append((ok, "control: well-formed command succeeds",
                    "exit %d" % proc.returncode + ("" if ok else ", stderr: " + proc.stderr.strip()[:200])))
    return outcome


# ----------------------------------------------------------------------------------------------
# Self-test of the oracle against closed forms (MODEL.md: the circle case).
# ----------------------------------------------------------------------------------------------


def log_i0(x):
    """log I0(x) for x >= 0 by the power series sum_k ((x/2)^k / k!)^2, all terms positive.

    Terms are generated by the ratio recurrence and rescaled to avoid overflow."""
    if x == 0.0:
        return 0.0
    q = (x / 2.0) ** 2
    term, total, offset, biggest = 1.0, [1.0], 0.0, 1.0
    k = 0
    while True:
        k += 1
        term *= q / (k * k)
        total.append(term)
        biggest = max(biggest, term)
        if term > 1e250:
            s = 1e-250
            total = [t * s for t in total]
            term *= s
            biggest *= s
            offset += 250.0 * math.log(10.0)
        if k > x / 2.0 and term < 1e-20 * biggest:   # terms now decrease faster than geometrically
            break
    if offset == 0.0:
        return math.log1p(math.fsum(total[1:]))  # keeps precision for small x, where I0 ~ 1 + x^2/4
    return offset + math.log(math.fsum(total))


def self_test():
    """Returns list of (ok, name, message)."""
    rng = random.Random(SEED + 1)
    results = []
    worst = 0.0
    for _ in range(30):
        r = rng.uniform(0.2, 3.0) * rng.choice([-1.0, 1.0])
        y1, y2 = rng.uniform(-4, 4), rng.uniform(-4, 4)
        beta = log_uniform(rng, 1e-3, 1e2)
        ry = math.hypot(y1, y2)
        s = y1 * y1 + y2 * y2 + 2 * r * r
        exact = ry * ry + r * r - log_i0(2.0 * beta * abs(r) * ry) / beta
        got = f_beta_continuous(y1, y2, r, r, beta)
        worst = max(worst, abs(got - exact) / max(abs(exact), s))
        exact_inf = (ry - abs(r)) ** 2
        got_inf = f_inf_continuous(y1, y2, r, r)
        worst = max(worst, abs(got_inf - exact_inf) / max(abs(exact_inf), s))
    results.append((worst <= 1e-13, "self-test: circle F_beta and F_inf vs closed form",
                    "max normalised err %.3g" % worst))

    # Sampled: N = 1 gives E(y, 0) for every beta; N = 2 has a two-term closed form.
    worst = 0.0
    for _ in range(30):
        w1, w2 = rng.uniform(-3, 3), rng.uniform(-3, 3)
        y1, y2 = rng.uniform(-4, 4), rng.uniform(-4, 4)
        beta = log_uniform(rng, 1e-3, 1e2)
        e0, e1 = (y1 - w1) ** 2 + y2 * y2, (y1 + w1) ** 2 + y2 * y2
        lo, hi = min(e0, e1), max(e0, e1)
        exact2 = lo - math.log1p(0.5 * math.expm1(-beta * (hi - lo))) / beta
        s = y1 * y1 + y2 * y2 + w1 * w1 + w2 * w2
        worst = max(worst, abs(f_beta_sampled(y1, y2, w1, w2, 1, beta) - e0) / max(e0, s))
        got2 = f_beta_sampled(y1, y2, w1, w2, 2, beta)
        worst = max(worst, abs(got2 - exact2) / max(abs(exact2), s))
        # posterior sums to one, and the continuous density integrates to one (coarse check)
        n = rng.randint(1, 200)
        tot = math.fsum(posterior_sampled(y1, y2, w1, w2, n, beta, k) for k in range(n))
        worst = max(worst, abs(tot - 1.0) * 1e-3)
    results.append((worst <= 1e-13, "self-test: sampled N=1, N=2 closed forms; posterior sums to 1",
                    "max normalised err %.3g" % worst))

    # Hot and cold limits, and the ordering F_inf <= F_beta <= mean E.
    ok, worst = True, 0.0
    for _ in range(10):
        w1, w2 = rng.uniform(-3, 3), rng.uniform(-3, 3)
        y1, y2 = rng.uniform(-4, 4), rng.uniform(-4, 4)
        n = rng.randint(2, 200)
        es = sampled_values(y1, y2, w1, w2, n)
        mean = math.fsum(es) / n
        fi = f_inf_sampled(y1, y2, w1, w2, n)
        prev = mean
        for beta in (1e-9, 1e-3, 0.1, 1.0, 10.0, 100.0, 1e4):
            fb = f_beta_sampled(y1, y2, w1, w2, n, beta)
            ok = ok and fi - 1e-13 <= fb <= prev + 1e-13
            prev = fb
        worst = max(worst, abs(f_beta_sampled(y1, y2, w1, w2, n, 1e-16) - mean) / max(mean, 1.0))
        # continuous: F_inf matches a brute-force minimum closely, and bounds it from below
        brute = min(energy(y1, y2, w1, w2, TWO_PI * j / 100000) for j in range(100000))
        fic = f_inf_continuous(y1, y2, w1, w2)
        ok = ok and fic <= brute + 1e-15 and brute - fic < 1e-6
        # continuous density integrates to one
        dens = [posterior_density_continuous(y1, y2, w1, w2, 2.0, TWO_PI * j / 256) for j in range(0, 256, 1)]
        worst = max(worst, abs(math.fsum(dens) * TWO_PI / 256 - 1.0) * 1e-2)
    results.append((ok and worst <= 1e-11, "self-test: limits, ordering, brute-force minimum, density integral",
                    "ordering %s, max err %.3g" % ("ok" if ok else "VIOLATED", worst)))
    return results


# ----------------------------------------------------------------------------------------------


def main():
    if len(sys.argv) < 2:
        print("usage: python3 field_oracle.py /path/to/ebmlab [--self-test-only]", file=sys.stderr)
        return 2
    binary = sys.argv[1]
    passed = failed = 0

    def report(ok, name, msg):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
        print("[%s] %s: %s" % ("PASS" if ok else "FAIL", name, msg), flush=True)

    for ok, name, msg in self_test():
        report(ok, name, msg)
    if "--self-test-only" in sys.argv[2:]:
        print("%d passed, %d failed" % (passed, failed))
        return 0 if failed == 0 else 1

    if not os.access(binary, os.X_OK):
        report(False, "binary", "%s is not an executable file" % binary)
        print("%d passed, %d failed" % (passed, failed))
        return 1

    with tempfile.TemporaryDirectory(prefix="field_oracle_") as tmpdir:
        for idx, case in enumerate(make_cases()):
            try:
                ok, msg = check_case(binary, case, tmpdir, idx)
            except Exception as exc:  # a crash in parsing must count as a failure, not abort the run
                ok, msg = False, "exception: %r" % exc
            report(ok, "case %02d %s" % (idx, describe(case)), msg)
        for ok, name, msg in error_checks(binary, tmpdir):
            report(ok, "error contract: " + name, msg)

    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
