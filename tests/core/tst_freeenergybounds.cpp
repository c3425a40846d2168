// The facts MODEL.md §1 says must hold for every latent set: F_inf <= F_beta <= mean_z E, F_beta
// non-increasing in beta, and the cold (beta -> inf) and hot (beta -> 0) limits, each checked
// against a rigorous bound rather than a tuned tolerance.
#include "math/ellipseebm.h"
#include "testhelpers.h"

#include "exactcompare.h"
#include "fuzzycompare.h"

#include <QPointF>
#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

Q_DECLARE_METATYPE(ebm::EllipseParams)

using ebm::EllipseEbm;
using ebm::EllipseParams;
using ebm::LatentSpec;
using ebm::Vec2;

namespace {

// Every energy carries a rounding of a few eps * (|y|^2 + |w|^2), and a mean or log-sum-exp over
// N latents adds up to N eps of summation error (recursive summation of same-sign terms; the
// continuous quadrature is held to ~1e-15). Inequalities that hold exactly in real arithmetic are
// allowed that much slack, (64 + N) eps * scale, and nothing more.
double slack(const Vec2 &y, const EllipseParams &w, int count)
{
    return (64.0 + count) * std::numeric_limits<double>::epsilon() *
           (1.0 + y.squaredNorm() + w.w1 * w.w1 + w.w2 * w.w2);
}

// C >= max_z |d2E/dz2| and D >= max_z E - min_z E, read off
// E = |y|^2 + w1^2 cos^2 z + w2^2 sin^2 z - 2 y1 w1 cos z - 2 y2 w2 sin z.
double curvatureBound(const Vec2 &y, const EllipseParams &w)
{
    return 2.0 * (std::abs(w.w2 * w.w2 - w.w1 * w.w1) + std::abs(y.x() * w.w1) + std::abs(y.y() * w.w2));
}

double rangeBound(const Vec2 &y, const EllipseParams &w)
{
    return std::abs(w.w1 * w.w1 - w.w2 * w.w2) + 4.0 * std::abs(y.x() * w.w1) + 4.0 * std::abs(y.y() * w.w2);
}

QString where(const Vec2 &y, double beta)
{
    return QStringLiteral("y=(%1, %2) beta=%3").arg(y.x()).arg(y.y()).arg(beta);
}

} // namespace

class FreeEnergyBoundsTest : public QObject
{
    Q_OBJECT

private slots:
    void boundsAndMonotonicity_data();
    void boundsAndMonotonicity();
    void coldLimit_data() { boundsAndMonotonicity_data(); }
    void coldLimit();
    void hotLimit_data() { boundsAndMonotonicity_data(); }
    void hotLimit();
    void meanEnergy_data() { boundsAndMonotonicity_data(); }
    void meanEnergy();
};

void FreeEnergyBoundsTest::boundsAndMonotonicity_data()
{
    QTest::addColumn<int>("count"); // 0: the continuous latent
    QTest::addColumn<QPointF>("yPoint");
    QTest::addColumn<EllipseParams>("w");
    const std::vector<std::pair<const char *, EllipseParams>> ws = {{"w=(2,1.5)", {2.0, 1.5}},
                                                                    {"w=(1,1)", {1.0, 1.0}},
                                                                    {"w=(-1.5,0.5)", {-1.5, 0.5}},
                                                                    {"w=(0,1.2)", {0.0, 1.2}},
                                                                    {"w=(0,0)", {0.0, 0.0}}};
    const std::vector<QPointF> ys = {{0, 0}, {0.3, 0.2}, {2, 0}, {1.9, 1.2}, {-3, 4}, {50, -20}, {1e3, 300}};
    for (int n : {1, 2, 7, 48, 1024}) {
        for (const auto &[name, w] : ws) {
            for (const QPointF &y : ys)
                QTest::addRow("N=%d %s y=(%g,%g)", n, name, y.x(), y.y()) << n << y << w;
        }
    }
    // The continuous latent costs up to ~1 s per evaluation at beta >= 1e5, so it gets fewer rows.
    for (const auto &[name, w] : {ws[0], ws[1], ws[3]}) {
        for (const QPointF &y : {ys[1], ys[3], ys[4], ys[6]})
            QTest::addRow("continuous %s y=(%g,%g)", name, y.x(), y.y()) << 0 << y << w;
    }
}

void FreeEnergyBoundsTest::boundsAndMonotonicity()
{
    QFETCH(int, count);
    QFETCH(QPointF, yPoint);
    QFETCH(EllipseParams, w);
    const Vec2 y(yPoint.x(), yPoint.y());
    const EllipseEbm model(w, ebmtest::latentsFor(count));
    const double cold = model.zeroTemperature(y).value;
    const double hot = model.meanEnergy(y);
    const double tiny = slack(y, w, count);
    double previous = INFINITY;
    // beta = 10^(k/2) from 1e-9 to 1e8 (in decades to 1e6 for the slower continuous latent), then inf.
    std::vector<double> betas;
    for (int k = -18; k <= (count > 0 ? 16 : 12); k += count > 0 ? 1 : 2)
        betas.push_back(std::pow(10.0, k / 2.0));
    betas.push_back(ebm::kInfiniteBeta);
    for (double beta : betas) {
        const double f = model.freeEnergy(y, beta);
        QVERIFY2(std::isfinite(f), qPrintable(where(y, beta)));
        QVERIFY2(
            cold <= f + tiny,
            qPrintable(where(y, beta) + QStringLiteral(": F_inf %1 > F %2").arg(cold, 0, 'g', 17).arg(f, 0, 'g', 17)));
        QVERIFY2(
            f <= hot + tiny,
            qPrintable(where(y, beta) + QStringLiteral(": F %1 > mean E %2").arg(f, 0, 'g', 17).arg(hot, 0, 'g', 17)));
        QVERIFY2(f <= previous + tiny,
                 qPrintable(
                     where(y, beta) +
                     QStringLiteral(": F %1 > F at the smaller beta %2").arg(f, 0, 'g', 17).arg(previous, 0, 'g', 17)));
        previous = f;
    }
    // beta = inf is F_inf exactly, not just nearly.
    EBM_COMPARE_EXACT(model.freeEnergy(y, ebm::kInfiniteBeta), cold);
}

void FreeEnergyBoundsTest::coldLimit()
{
    QFETCH(int, count);
    QFETCH(QPointF, yPoint);
    QFETCH(EllipseParams, w);
    const Vec2 y(yPoint.x(), yPoint.y());
    const EllipseEbm model(w, ebmtest::latentsFor(count));
    const double beta = 1e8;
    const double gap = model.freeEnergy(y, beta) - model.zeroTemperature(y).value;
    double bound = 0.0;
    if (count > 0) {
        // (1/N) sum exp(-beta (E_k - E_min)) >= 1/N, since the minimiser contributes exp(0).
        bound = std::log(static_cast<double>(count)) / beta;
    } else if (const double c = curvatureBound(y, w); c > 0.0) {
        // E(z* + d) - E_min <= C d^2 / 2 around the global minimum (E' = 0 there, |E''| <= C), so
        // mean exp(-beta (E - E_min)) >= (1/2pi) int_{-pi}^{pi} exp(-beta C d^2 / 2) dd
        //                              = erf(pi sqrt(beta C / 2)) / sqrt(2 pi beta C).
        bound = -std::log(std::erf(M_PI * std::sqrt(beta * c / 2.0)) / std::sqrt(2.0 * M_PI * beta * c)) / beta;
    }
    QVERIFY2(gap >= -slack(y, w, count), qPrintable(QString::number(gap, 'g', 17)));
    QVERIFY2(gap <= bound + slack(y, w, count),
             qPrintable(QStringLiteral("F - F_inf = %1 > bound %2").arg(gap, 0, 'g', 17).arg(bound, 0, 'g', 17)));
}

void FreeEnergyBoundsTest::hotLimit()
{
    QFETCH(int, count);
    QFETCH(QPointF, yPoint);
    QFETCH(EllipseParams, w);
    const Vec2 y(yPoint.x(), yPoint.y());
    const EllipseEbm model(w, ebmtest::latentsFor(count));
    const double beta = 1e-9;
    // Hoeffding's lemma: for E in [m, M], log mean exp(-beta (E - mean E)) <= beta^2 (M - m)^2 / 8,
    // hence mean E - F_beta <= beta (M - m)^2 / 8. With beta = 1e-9 that is 1e-9 for |y| ~ 1,
    // and still a real limit (~1e-2 against F ~ 1e6) at |y| = 1e3.
    const double d = rangeBound(y, w);
    const double gap = model.meanEnergy(y) - model.freeEnergy(y, beta);
    QVERIFY2(gap >= -slack(y, w, count), qPrintable(QString::number(gap, 'g', 17)));
    QVERIFY2(gap <= beta * d * d / 8.0 + slack(y, w, count),
             qPrintable(QStringLiteral("mean E - F = %1 > bound %2").arg(gap, 0, 'g', 17).arg(beta * d * d / 8.0)));
}

void FreeEnergyBoundsTest::meanEnergy()
{
    QFETCH(int, count);
    QFETCH(QPointF, yPoint);
    QFETCH(EllipseParams, w);
    const Vec2 y(yPoint.x(), yPoint.y());
    const EllipseEbm model(w, ebmtest::latentsFor(count));
    // E is a trigonometric polynomial of degree 2 in z, so its mean over Z_M for any M >= 3 is
    // exactly its mean over the circle: one reference serves both latent kinds.
    const int m = count >= 3 ? count : (count == 0 ? 1000 : count);
    long double sum = 0;
    for (int k = 0; k < m; ++k)
        sum += ebm::energy(y, 2.0 * M_PI * k / m, w);
    // Summing m rounded energies: ~sqrt(m) eps relative, well inside 1e-13 of the scale.
    EBM_COMPARE_REL(model.meanEnergy(y), static_cast<double>(sum / m), 1e-13,
                    1.0 + y.squaredNorm() + w.w1 * w.w1 + w.w2 * w.w2);
}

QTEST_APPLESS_MAIN(FreeEnergyBoundsTest)
#include "tst_freeenergybounds.moc"
