#include "io/pytorchscript.h"

#include "io/csvio.h"
#include "math/latents.h"

#include <QHash>
#include <QRegularExpression>
#include <QStringList>

#include <cmath>

namespace ebm {

namespace {

// The script is written for readers of the lecture notebooks: plain broadcasting, one function per quantity,
// torch.logsumexp and torch.softmax. Placeholders are @NAME@.
const char *const kTemplate = R"PY(#!/usr/bin/env python3
# Written by EBM Lab: recomputes one of its figures with PyTorch and matplotlib, in double precision.
# @CAPTION_COMMENT@
#
#   python3 figure.py                  shows the figure
#   python3 figure.py --png fig.png    saves it
#   python3 figure.py --csv field.csv  writes the field as `ebmlab field` does (y1,y2,value; y2 outer; %.17g)
import argparse
import math
import sys

try:
    import torch
except ImportError:
    sys.exit("This script needs PyTorch: `pip install torch`, or on Debian `apt install python3-torch`.")

torch.set_default_dtype(torch.float64)

# ---- the figure's parameters ---------------------------------------------------------------------------------------
w1, w2 = @W1@, @W2@  # decoder g(z) = (w1 cos z, w2 sin z): the model manifold is an ellipse
N = @N@  # number of sampled latents
CONTINUOUS = @CONTINUOUS@  # True: z ranges over all of [0, 2 pi), approximated here by N dense samples
beta = @BETA@  # inverse temperature; math.inf is zero temperature
FIELD = "@FIELD@"  # "F_beta", "F_inf", "E" (the energy at z*) or "posterior" (P_beta(z* | y))
z_star = @ZSTAR@  # z* for "E" and "posterior"
k_star = @KSTAR@  # z* = z[k_star] when the latents are sampled
x0, x1, nx = @X0@, @X1@, @NX@  # the grid over y1, both ends included
y0, y1, ny = @Y0@, @Y1@, @NY@  # ... and over y2
Y = torch.tensor(@DATA@).reshape(-1, 2)  # the data points
CAPTION = @CAPTION@

# ---- the model -----------------------------------------------------------------------------------------------------
z = torch.arange(N) * 2 * math.pi / N  # Z_N = {2 pi k / N : k = 0 .. N-1}
g = torch.stack((w1 * torch.cos(z), w2 * torch.sin(z)), dim=-1)  # g(z_k), shape (N, 2)


def energy(y):
    """E(y, z_k) = ||y - g(z_k)||^2 for every latent, by broadcasting: (..., 2) -> (..., N)."""
    return ((y[..., None, :] - g) ** 2).sum(-1)


def energy_at(y, zz):
    """E(y, z) for one z."""
    return (y[..., 0] - w1 * math.cos(zz)) ** 2 + (y[..., 1] - w2 * math.sin(zz)) ** 2


def zero_temperature(y, E):
    """F_inf(y) = min_z E(y, z)."""
    F = E.min(-1).values
    if CONTINUOUS:  # polish the best sample with a few Newton steps on z
        zc = z[E.argmin(-1)]
        for _ in range(4):
            s, c = torch.sin(zc), torch.cos(zc)
            d1 = 2 * ((w2**2 - w1**2) * s * c + y[..., 0] * w1 * s - y[..., 1] * w2 * c)
            d2 = 2 * ((w2**2 - w1**2) * (c * c - s * s) + y[..., 0] * w1 * c + y[..., 1] * w2 * s)
            zc = torch.where(d2 > 0, zc - d1 / d2, zc)
        F = torch.minimum(F, (y[..., 0] - w1 * torch.cos(zc)) ** 2 + (y[..., 1] - w2 * torch.sin(zc)) ** 2)
    return F


def free_energy(y, E):
    """F_beta(y) = -(1/beta) log (1/N) sum_z exp(-beta E(y, z)): the soft minimum, by log-sum-exp."""
    if math.isinf(beta):
        return zero_temperature(y, E)
    return -(torch.logsumexp(-beta * E, dim=-1) - math.log(N)) / beta


def posterior(E):
    """P_beta(z | y) = softmax_z(-beta E(y, z)); at beta = inf the minimisers share the mass."""
    if math.isinf(beta):
        hit = (E == E.min(-1, keepdim=True).values).to(E.dtype)
        return hit / hit.sum(-1, keepdim=True)
    return torch.softmax(-beta * E, dim=-1)


def field(y):
    """The figure's field at observations y, shape (..., 2) -> (...)."""
    E = energy(y)
    if FIELD == "F_beta":
        return free_energy(y, E)
    if FIELD == "F_inf":
        return zero_temperature(y, E)
    if FIELD == "E":
        return energy_at(y, z_star) if CONTINUOUS else E[..., k_star]
    if CONTINUOUS:  # a density over [0, 2 pi): exp(-beta E(y, z*)) / integral of exp(-beta E(y, z)) dz
        if math.isinf(beta):
            sys.exit("At beta = inf the posterior of the continuous latent is a Dirac delta, not a field.")
        return torch.exp(-beta * energy_at(y, z_star) - torch.logsumexp(-beta * E, dim=-1)) * N / (2 * math.pi)
    return posterior(E)[..., k_star]


y1s = torch.linspace(x0, x1, nx)
y2s = torch.linspace(y0, y1, ny)
grid = torch.stack(torch.meshgrid(y1s, y2s, indexing="xy"), dim=-1)  # (ny, nx, 2): row j is y2 = y2s[j]


def compute():
    rows = max(1, 4_000_000 // (nx * N))  # a few rows at a time keep the (rows, nx, N) energies small
    return torch.cat([field(chunk) for chunk in torch.split(grid, rows)])


def write_csv(path, values):
    lines = ["y1,y2,value"]
    xs, ys, v = y1s.tolist(), y2s.tolist(), values.tolist()
    for j in range(ny):
        b = f"{ys[j]:.17g}"
        lines.extend(f"{xs[i]:.17g},{b},{v[j][i]:.17g}" for i in range(nx))
    text = "\n".join(lines) + "\n"
    if path == "-":
        sys.stdout.write(text)
    else:
        with open(path, "w", newline="") as out:
            out.write(text)


def plot(values, png):
    import matplotlib

    if png:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    b = "∞" if math.isinf(beta) else f"{beta:g}"
    titles = {
        "F_beta": rf"free energy $F_\beta(y)$, $\beta$ = {b}",
        "F_inf": r"zero-temperature free energy $F_\infty(y)$",
        "E": rf"energy $E(y, z^*)$, $z^*$ = {z_star:.4g}",
        "posterior": rf"posterior $P_\beta(z^* \mid y)$, $z^*$ = {z_star:.4g}, $\beta$ = {b}",
    }
    dx, dy = (x1 - x0) / (nx - 1), (y1 - y0) / (ny - 1)
    fig, ax = plt.subplots(figsize=(8, 6.5), layout="constrained")
    image = ax.imshow(values.numpy(), origin="lower", cmap="viridis", interpolation="nearest",
                      extent=(x0 - dx / 2, x1 + dx / 2, y0 - dy / 2, y1 + dy / 2))
    fig.colorbar(image, ax=ax, label=titles[FIELD].split(",")[0])
    t = torch.linspace(0, 2 * math.pi, 361)
    ax.plot((w1 * torch.cos(t)).numpy(), (w2 * torch.sin(t)).numpy(), color="white", lw=2.5,
            label="model manifold $g(z)$")
    if not CONTINUOUS:
        ax.scatter(g[:, 0].numpy(), g[:, 1].numpy(), c=z.numpy(), cmap="hsv", vmin=0, vmax=2 * math.pi, s=30,
                   edgecolors="black", linewidths=0.6, zorder=3, label="sampled latents $g(z_k)$")
    if len(Y):
        ax.scatter(Y[:, 0].numpy(), Y[:, 1].numpy(), s=50, color="#e8175d", edgecolors="white", linewidths=1.2,
                   zorder=4, label="data $y$")
    ax.set(xlabel="$y_1$", ylabel="$y_2$", xlim=(x0, x1), ylim=(y0, y1), aspect="equal", title=titles[FIELD])
    ax.legend(loc="upper left", framealpha=0.85)
    if CAPTION:
        fig.text(0.01, 0.005, CAPTION, fontsize=7, color="gray")
    if png:
        fig.savefig(png, dpi=150)
    else:
        plt.show()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Recompute an EBM Lab figure with PyTorch.")
    parser.add_argument("--csv", metavar="PATH", help="write the field as CSV ('-' for standard output)")
    parser.add_argument("--png", metavar="PATH", help="save the figure instead of showing it")
    args = parser.parse_args()
    values = compute()
    if args.csv:
        write_csv(args.csv, values)
    else:
        plot(values, args.png)
)PY";

//! A Python float literal: 17 significant digits (round-trips a double), always with a float's spelling.
QString pyNumber(double v)
{
    if (std::isnan(v))
        return QStringLiteral("math.nan");
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("math.inf") : QStringLiteral("-math.inf");
    QString s = QString::fromLatin1(formatNumber(v));
    if (!s.contains(QLatin1Char('.')) && !s.contains(QLatin1Char('e')))
        s += QStringLiteral(".0");
    return s;
}

//! A Python string literal (double quotes; UTF-8 source, so only quotes, backslashes and controls need escaping).
QString pyString(const QString &text)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : text) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('"'))
            out += QLatin1Char('\\') + c;
        else if (c == QLatin1Char('\n'))
            out += QStringLiteral("\\n");
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out + QLatin1Char('"');
}

QString fieldName(int field)
{
    switch (field) {
    case 1:
        return QStringLiteral("F_inf");
    case 2:
        return QStringLiteral("E");
    case 3:
        return QStringLiteral("posterior");
    default:
        return QStringLiteral("F_beta");
    }
}

} // namespace

QString pytorchScript(const PyTorchFigure &figure)
{
    const bool continuous = figure.latentCount <= 0;
    const int n = continuous ? kContinuousSamples : figure.latentCount;
    // z* as the core uses it: the nearest sampled latent, or z wrapped to [0, 2 pi) for the continuous latent.
    const LatentSpec latents = continuous ? LatentSpec::continuous() : LatentSpec::sampled(n);
    const int kStar = continuous ? 0 : latents.nearestIndex(figure.z);
    const double zStar = latents.snap(figure.z);

    QStringList points;
    for (const auto &[a, b] : figure.data)
        points << QStringLiteral("[%1, %2]").arg(pyNumber(a), pyNumber(b));
    QString comment = figure.caption.simplified();
    if (comment.isEmpty())
        comment = QStringLiteral("EBM Lab figure");

    const QHash<QString, QString> values = {
        {QStringLiteral("@CAPTION_COMMENT@"), comment},
        {QStringLiteral("@W1@"), pyNumber(figure.w1)},
        {QStringLiteral("@W2@"), pyNumber(figure.w2)},
        {QStringLiteral("@N@"), QString::number(n)},
        {QStringLiteral("@CONTINUOUS@"), continuous ? QStringLiteral("True") : QStringLiteral("False")},
        {QStringLiteral("@BETA@"), pyNumber(figure.beta)},
        {QStringLiteral("@FIELD@"), fieldName(figure.field)},
        {QStringLiteral("@ZSTAR@"), pyNumber(zStar)},
        {QStringLiteral("@KSTAR@"), QString::number(kStar)},
        {QStringLiteral("@X0@"), pyNumber(figure.x0)},
        {QStringLiteral("@X1@"), pyNumber(figure.x1)},
        {QStringLiteral("@NX@"), QString::number(figure.nx)},
        {QStringLiteral("@Y0@"), pyNumber(figure.y0)},
        {QStringLiteral("@Y1@"), pyNumber(figure.y1)},
        {QStringLiteral("@NY@"), QString::number(figure.ny)},
        {QStringLiteral("@DATA@"), QLatin1Char('[') + points.join(QStringLiteral(", ")) + QLatin1Char(']')},
        {QStringLiteral("@CAPTION@"), pyString(figure.caption)},
    };
    // One pass, so that no substituted text (a caption, say) is searched for placeholders again.
    static const QRegularExpression placeholder(QStringLiteral("@[A-Z0-9_]+@"));
    const QString source = QString::fromUtf8(kTemplate);
    QString script;
    qsizetype done = 0;
    for (const QRegularExpressionMatch &m : placeholder.globalMatch(source)) {
        script += QStringView(source).mid(done, m.capturedStart() - done);
        script += values.value(m.captured(), m.captured());
        done = m.capturedEnd();
    }
    script += QStringView(source).mid(done);
    return script;
}

QString writePyTorchScript(const QString &path, const PyTorchFigure &figure)
{
    return writeFileAtomically(path, pytorchScript(figure).toUtf8());
}

} // namespace ebm
