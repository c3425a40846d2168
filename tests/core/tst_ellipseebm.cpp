// The ellipse EBM with sampled latents Z_N: free energy, posterior and the posterior sums of infer()
// against an independent long double computation, zero temperature and its ties.
#include "math/ellipseebm.h"

#include "exactcompare.h"
#include "fuzzycompare.h"

#include <QList>
#include <QPointF>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

Q_DECLARE_METATYPE(ebm::EllipseParams)

using ebm::EllipseEbm;
using ebm::EllipseParams;
using ebm::LatentSpec;
using ebm::Vec2;

namespace {

const double kBetas[] = {1e-9, 1e-6, 1e-3, 0.1, 1.0, 10.0, 1e3, 1e6, ebm::kInfiniteBeta};

// MODEL.md §1 written out again in long double (64-bit mantissa on x86-64), with the minimum
// factored out. The energies E_k are the same doubles the model uses (ebm::energy at the model's
// angles), which isolates the log-sum-exp and the posterior sums from the rounding of E itself.
struct Reference
{
    long double freeEnergy = 0;
    std::vector<long double> posterior;
    long double mean1 = 0, mean2 = 0;   // posterior mean of g(z)
    long double gradW1 = 0, gradW2 = 0; // posterior mean of grad_w E
    int argmin = 0;
};

Reference reference(const Vec2 &y, const EllipseParams &w, int count, double beta)
{
    const LatentSpec spec = LatentSpec::sampled(count);
    std::vector<long double> e(static_cast<size_t>(count));
    for (int k = 0; k < count; ++k)
        e[static_cast<size_t>(k)] = ebm::energy(y, spec.angle(k), w);
    Reference r;
    r.argmin = static_cast<int>(std::min_element(e.begin(), e.end()) - e.begin());
    const long double eMin = e[static_cast<size_t>(r.argmin)];
    long double sum = 0, sumExpm1 = 0;
    r.posterior.resize(e.size());
    for (size_t k = 0; k < e.size(); ++k) {
        const long double x = -static_cast<long double>(beta) * (e[k] - eMin);
        r.posterior[k] = std::isinf(beta) ? (e[k] == eMin ? 1.0L : 0.0L) : std::exp(x);
        sum += r.posterior[k];
        sumExpm1 += std::isinf(beta) ? 0.0L : std::expm1(x);
    }
    // log(mean) loses the digits of mean - 1 when every weight is near 1 (hot); log1p of the mean
    // of expm1 keeps them. Both are exact formulas; each is used where it is well conditioned.
    const long double mean = sum / count;
    const long double logMean = mean < 0.5L ? std::log(mean) : std::log1p(sumExpm1 / count);
    r.freeEnergy = std::isinf(beta) ? eMin : eMin - logMean / static_cast<long double>(beta);
    for (size_t k = 0; k < e.size(); ++k) {
        r.posterior[k] /= sum;
        // At beta = inf the posterior shares ties, but the contract for the posterior mean and
        // grad_w is the first minimiser alone (MODEL.md: grad F_inf = grad E at z_check).
        const long double weight = std::isinf(beta) ? (int(k) == r.argmin ? 1.0L : 0.0L) : r.posterior[k];
        const double z = spec.angle(static_cast<int>(k));
        const long double c = std::cos(z), s = std::sin(z);
        r.mean1 += weight * w.w1 * c;
        r.mean2 += weight * w.w2 * s;
        r.gradW1 += weight * -2.0L * (y.x() - w.w1 * c) * c;
        r.gradW2 += weight * -2.0L * (y.y() - w.w2 * s) * s;
    }
    return r;
}

QString where(int count, const Vec2 &y, double beta)
{
    return QStringLiteral("N=%1 y=(%2, %3) beta=%4").arg(count).arg(y.x()).arg(y.y()).arg(beta);
}

} // namespace

class EllipseEbmTest : public QObject
{
    Q_OBJECT

private slots:
    void matchesLongDoubleReference_data();
    void matchesLongDoubleReference();
    void zeroTemperatureIsFirstMinimum_data() { matchesLongDoubleReference_data(); }
    void zeroTemperatureIsFirstMinimum();
    void tiesAtInfiniteBeta_data();
    void tiesAtInfiniteBeta();
    void posteriorAtIsNearestLatent();
    void defaultModel();
};

void EllipseEbmTest::matchesLongDoubleReference_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<QPointF>("yPoint");
    QTest::addColumn<EllipseParams>("w");
    const std::vector<std::pair<const char *, EllipseParams>> ws = {
        {"w=(2,1.5)", {2.0, 1.5}}, {"w=(-1,3)", {-1.0, 3.0}}, {"w=(0,0.7)", {0.0, 0.7}}};
    const std::vector<QPointF> ys = {{0.0, 0.0}, {0.3, 0.2}, {2.0, 0.0}, {-2.5, 1.7}, {40.0, -30.0}};
    for (int n : {1, 2, 7, 48, 1024}) {
        for (const auto &[name, w] : ws) {
            for (const QPointF &y : ys)
                QTest::addRow("N=%d %s y=(%g,%g)", n, name, y.x(), y.y()) << n << y << w;
        }
    }
}

void EllipseEbmTest::matchesLongDoubleReference()
{
    QFETCH(int, count);
    QFETCH(QPointF, yPoint);
    QFETCH(EllipseParams, w);
    const Vec2 y(yPoint.x(), yPoint.y());
    const EllipseEbm model(w, LatentSpec::sampled(count));
    // The gradient and posterior-mean components can cancel to ~0; their natural absolute scale
    // is that of the terms summed, |y| + |w| (times 2, times |cos| <= 1).
    const double gradScale = 1.0 + y.norm() + std::hypot(w.w1, w.w2);
    for (double beta : kBetas) {
        const Reference ref = reference(y, w, count, beta);
        const ebm::Inference inf = model.infer(y, beta);
        // F = eMin + (-log mean / beta) adds two non-negative terms, so no cancellation: the double
        // result should carry only the summation error of N weights, ~sqrt(N) eps << 1e-13.
        QVERIFY2(ebmtest::closeTo(inf.freeEnergy, static_cast<double>(ref.freeEnergy), 1e-13, 1e-300),
                 qPrintable(where(count, y, beta) + QStringLiteral(": F = %1, reference %2")
                                                        .arg(inf.freeEnergy, 0, 'g', 17)
                                                        .arg(static_cast<double>(ref.freeEnergy), 0, 'g', 17)));
        EBM_COMPARE_EXACT(model.freeEnergy(y, beta), inf.freeEnergy);

        const std::vector<double> p = model.posterior(y, beta);
        QCOMPARE(p.size(), static_cast<size_t>(count));
        long double total = 0;
        for (size_t k = 0; k < p.size(); ++k) {
            QVERIFY(p[k] >= 0.0 && p[k] <= 1.0);
            total += p[k];
            // exp(-beta (E_k - eMin)): the argument x carries a relative rounding of ~2 eps, which
            // exp turns into a relative error of ~2 eps |x| in the weight; denormals lose the rest.
            const double x = std::isinf(beta)
                                 ? 0.0
                                 : beta * (model.energy(y, model.latents().angle(int(k))) - inf.zeroTemperature.value);
            QVERIFY2(ebmtest::closeTo(p[k], static_cast<double>(ref.posterior[k]), 1e-14 * (1.0 + x), 1e-290),
                     qPrintable(where(count, y, beta) + QStringLiteral(": P[%1] = %2, reference %3")
                                                            .arg(k)
                                                            .arg(p[k], 0, 'g', 17)
                                                            .arg(static_cast<double>(ref.posterior[k]), 0, 'g', 17)));
        }
        QVERIFY2(std::abs(total - 1.0L) <= 1e-14L, qPrintable(where(count, y, beta)));
        // The zero-temperature latent is a most probable one. Only at beta = inf is it also the first
        // maximum: at finite beta, energies one ulp apart can get bit-equal weights.
        const auto argmax = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
        QCOMPARE(inf.zeroTemperature.k, ref.argmin);
        EBM_COMPARE_EXACT(p[static_cast<size_t>(inf.zeroTemperature.k)], p[static_cast<size_t>(argmax)]);
        if (std::isinf(beta))
            QCOMPARE(argmax, ref.argmin);

        EBM_COMPARE_REL(inf.posteriorMean.x(), static_cast<double>(ref.mean1), 1e-13, gradScale);
        EBM_COMPARE_REL(inf.posteriorMean.y(), static_cast<double>(ref.mean2), 1e-13, gradScale);
        EBM_COMPARE_REL(inf.gradY.x(), 2.0 * (y.x() - static_cast<double>(ref.mean1)), 1e-13, gradScale);
        EBM_COMPARE_REL(inf.gradY.y(), 2.0 * (y.y() - static_cast<double>(ref.mean2)), 1e-13, gradScale);
        EBM_COMPARE_REL(inf.gradW.x(), static_cast<double>(ref.gradW1), 1e-13, gradScale * gradScale);
        EBM_COMPARE_REL(inf.gradW.y(), static_cast<double>(ref.gradW2), 1e-13, gradScale * gradScale);
    }
}

void EllipseEbmTest::zeroTemperatureIsFirstMinimum()
{
    QFETCH(int, count);
    QFETCH(QPointF, yPoint);
    QFETCH(EllipseParams, w);
    const Vec2 y(yPoint.x(), yPoint.y());
    const EllipseEbm model(w, LatentSpec::sampled(count));
    int best = 0;
    double bestE = INFINITY;
    for (int k = 0; k < count; ++k) {
        const double e = ebm::energy(y, 2.0 * M_PI * k / count, w);
        if (e < bestE) { // strict: the first of equal minima wins
            bestE = e;
            best = k;
        }
    }
    const ebm::ZeroTemperature zt = model.zeroTemperature(y);
    QCOMPARE(zt.k, best);
    EBM_COMPARE_EXACT(zt.z, model.latents().angle(best));
    // 2 pi k / N here versus the model's own angle: an ulp of z, i.e. ~1e-16 * |y||w| in E.
    EBM_COMPARE_REL(zt.value, bestE, 1e-14, 1.0 + y.squaredNorm() + w.w1 * w.w1 + w.w2 * w.w2);
    EBM_COMPARE_EXACT(zt.value, model.energy(y, zt.z));
    // At beta = inf, F and the posterior mean are exactly those of z_check.
    const ebm::Inference cold = model.infer(y, ebm::kInfiniteBeta);
    EBM_COMPARE_EXACT(cold.freeEnergy, zt.value);
    QCOMPARE(cold.zeroTemperature.k, zt.k);
    QCOMPARE(cold.posteriorMean, ebm::decode(w, zt.z));
}

void EllipseEbmTest::tiesAtInfiniteBeta_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<QPointF>("yPoint");
    QTest::addColumn<EllipseParams>("w");
    QTest::addColumn<QList<double>>("expected");
    QTest::addColumn<int>("expectedK");
    // Chosen so that the tied energies are bit-identical doubles (checked in the test): N = 4 puts
    // the latents where cos and sin are 0 or +-1 up to ~1e-16, whose square vanishes next to 1.
    QTest::newRow("circle at centre, all four")
        << 4 << QPointF(0, 0) << EllipseParams{1, 1} << QList<double>{0.25, 0.25, 0.25, 0.25} << 0;
    QTest::newRow("w1<w2 at centre, k=0 and 2")
        << 4 << QPointF(0, 0) << EllipseParams{1, 2} << QList<double>{0.5, 0, 0.5, 0} << 0;
    QTest::newRow("w1>w2 at centre, k=1 and 3")
        << 4 << QPointF(0, 0) << EllipseParams{2, 1} << QList<double>{0, 0.5, 0, 0.5} << 1;
    QTest::newRow("w=0, all equal") << 4 << QPointF(0.3, -0.2) << EllipseParams{0, 0}
                                    << QList<double>{0.25, 0.25, 0.25, 0.25} << 0;
    QTest::newRow("N=1") << 1 << QPointF(5, 5) << EllipseParams{2, 1.5} << QList<double>{1.0} << 0;
}

void EllipseEbmTest::tiesAtInfiniteBeta()
{
    QFETCH(int, count);
    QFETCH(QPointF, yPoint);
    QFETCH(EllipseParams, w);
    QFETCH(QList<double>, expected);
    QFETCH(int, expectedK);
    const Vec2 y(yPoint.x(), yPoint.y());
    const EllipseEbm model(w, LatentSpec::sampled(count));
    double eMin = INFINITY;
    for (int k = 0; k < count; ++k)
        eMin = std::min(eMin, model.energy(y, model.latents().angle(k)));
    for (int k = 0; k < count; ++k) {
        const bool tied = model.energy(y, model.latents().angle(k)) == eMin;
        QVERIFY2(tied == (expected[k] > 0), "test row: the intended tie is not exact in doubles");
    }
    const std::vector<double> p = model.posterior(y, ebm::kInfiniteBeta);
    QCOMPARE(p.size(), static_cast<size_t>(count));
    for (int k = 0; k < count; ++k)
        EBM_COMPARE_EXACT(p[static_cast<size_t>(k)], expected[k]);
    const ebm::ZeroTemperature zt = model.zeroTemperature(y);
    QCOMPARE(zt.k, expectedK);
    EBM_COMPARE_EXACT(zt.z, model.latents().angle(expectedK));
    QCOMPARE(model.infer(y, ebm::kInfiniteBeta).zeroTemperature.k, expectedK);
    // At finite beta the tied latents get equal shares too, and keep the most mass.
    const std::vector<double> warm = model.posterior(y, 3.0);
    for (int k = 0; k < count; ++k) {
        if (expected[k] > 0)
            EBM_COMPARE_EXACT(warm[static_cast<size_t>(k)], warm[static_cast<size_t>(expectedK)]);
        else
            QVERIFY(warm[static_cast<size_t>(k)] < warm[static_cast<size_t>(expectedK)]);
    }
}

void EllipseEbmTest::posteriorAtIsNearestLatent()
{
    const EllipseEbm model({2.0, 1.5}, LatentSpec::sampled(12));
    const Vec2 y(1.2, -0.7);
    for (double beta : {1e-3, 1.0, 30.0, ebm::kInfiniteBeta}) {
        const std::vector<double> p = model.posterior(y, beta);
        for (int k = 0; k < 12; ++k) {
            const double zk = 2.0 * M_PI * k / 12;
            // Anywhere within (less than) half a step of z_k, in either direction and any turn.
            for (double dz : {0.0, 0.2, -0.2, 0.26, -0.26}) {
                EBM_COMPARE_EXACT(model.posteriorAt(y, beta, zk + dz), p[static_cast<size_t>(k)]);
                EBM_COMPARE_EXACT(model.posteriorAt(y, beta, zk + dz - 4.0 * M_PI), p[static_cast<size_t>(k)]);
            }
        }
    }
}

void EllipseEbmTest::defaultModel()
{
    // MODEL.md §1: the default is the trained manifold with the lecture's 48 latents.
    const EllipseEbm model;
    EBM_COMPARE_EXACT(model.params().w1, 2.0);
    EBM_COMPARE_EXACT(model.params().w2, 1.5);
    QCOMPARE(model.latents(), LatentSpec::sampled(48));
    // On the manifold at a sampled latent the cold free energy is (numerically) zero.
    const Vec2 onCurve = ebm::decode(model.params(), model.latents().angle(5));
    QVERIFY(model.zeroTemperature(onCurve).value < 1e-30);
    QCOMPARE(model.zeroTemperature(onCurve).k, 5);
}

QTEST_APPLESS_MAIN(EllipseEbmTest)
#include "tst_ellipseebm.moc"
