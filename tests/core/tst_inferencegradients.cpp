// The gradients infer() reports, against central finite differences of freeEnergy(), for sampled
// and continuous latents at finite and infinite beta; and a sweep over extreme inputs in which
// nothing may come out NaN or Inf (MODEL.md §5).
#include "math/ellipseebm.h"
#include "testhelpers.h"

#include "fuzzycompare.h"

#include <QPointF>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

Q_DECLARE_METATYPE(ebm::EllipseParams)

using ebm::EllipseEbm;
using ebm::EllipseParams;
using ebm::LatentSpec;
using ebm::Vec2;

namespace {

QString latentsName(int count)
{
    return count == 0 ? QStringLiteral("continuous") : QStringLiteral("N=%1").arg(count);
}

bool finite(const Vec2 &v)
{
    return std::isfinite(v.x()) && std::isfinite(v.y());
}

} // namespace

class InferenceGradientsTest : public QObject
{
    Q_OBJECT

private slots:
    void finiteDifferences_data();
    void finiteDifferences();
    void extremeInputsStayFinite_data();
    void extremeInputsStayFinite();
};

void InferenceGradientsTest::finiteDifferences_data()
{
    QTest::addColumn<int>("count"); // 0: continuous
    QTest::addColumn<EllipseParams>("w");
    QTest::addColumn<QPointF>("yPoint");
    QTest::addColumn<double>("beta");
    const std::vector<EllipseParams> ws = {{2.0, 1.5}, {-1.2, 0.8}, {0.9, -2.0}};
    for (int n : {1, 7, 48, 1024, 0}) {
        for (const EllipseParams &w : ws) {
            // Points radially outside and inside a latent of Z_N at about 0.3 of a turn: the cold
            // minimiser is then unique with a margin (checked below), so F_inf is smooth there.
            const double z0 = n ? 2.0 * M_PI * std::round(0.3 * n) / n : 1.9;
            for (double s : {1.3, 0.7}) {
                const Vec2 y = s * ebm::decode(w, z0) + Vec2(0.01, -0.02);
                for (double beta : {1e-3, 1.0, 10.0, 1e3, 1e6, ebm::kInfiniteBeta}) {
                    QTest::addRow("%s w=(%g,%g) s=%g beta=%g", qPrintable(latentsName(n)), w.w1, w.w2, s, beta)
                        << n << w << QPointF(y.x(), y.y()) << beta;
                }
            }
        }
        // A generic point off any special direction, warm only.
        QTest::addRow("%s generic beta=0.5", qPrintable(latentsName(n)))
            << n << EllipseParams{2.0, 1.5} << QPointF(0.35, -0.15) << 0.5;
    }
}

void InferenceGradientsTest::finiteDifferences()
{
    QFETCH(int, count);
    QFETCH(EllipseParams, w);
    QFETCH(QPointF, yPoint);
    QFETCH(double, beta);
    const Vec2 y(yPoint.x(), yPoint.y());
    const EllipseEbm model(w, ebmtest::latentsFor(count));
    double h = 1e-5;
    if (count > 1 && beta >= 1e3) {
        // Cold sampled rows must stay clear of ties between latents. For the best latent k and any
        // other j, the gap E_j - E_k changes by at most `slope` per unit step in y or w.
        // At beta = inf, F_inf = E_k is smooth across the stencil iff no gap closes within 2h.
        // At finite beta, F''' along a step is ~ beta^2 x the third cumulant of the slope under the
        // posterior, to which j contributes at most min(exp(-beta gap), 0.1) slope^3; the central
        // difference's error h^2/6 |F'''| must stay below 1e-7 of the scale used below, which a
        // smaller step buys (its rounding error eps |F| / h stays < 1e-8 down to h = 1e-7).
        const int k = model.zeroTemperature(y).k;
        const double zk = model.latents().angle(k);
        double truncation = 0.0;
        for (int j = 0; j < count; ++j) {
            if (j == k)
                continue;
            const double zj = model.latents().angle(j);
            const double gap = model.energy(y, zj) - model.energy(y, zk);
            const double slope = 2.0 * (ebm::decode(w, zk) - ebm::decode(w, zj)).norm() +
                                 (ebm::energyGradW(y, zj, w) - ebm::energyGradW(y, zk, w)).norm();
            if (std::isinf(beta))
                QVERIFY2(gap > 2.0 * h * slope, qPrintable(QStringLiteral("test row at a kink: j=%1").arg(j)));
            else
                truncation += h * h / 6.0 * beta * beta * std::min(std::exp(-beta * gap), 0.1) * std::pow(slope, 3);
        }
        const double limit = 1e-7 * (1.0 + y.norm() + std::hypot(w.w1, w.w2));
        if (truncation > limit)
            h *= std::sqrt(limit / truncation);
        QVERIFY2(h >= 1e-7,
                 qPrintable(QStringLiteral("test row too close to a tie: FD error up to %1").arg(truncation)));
    }
    // h = 1e-5 (unless shrunk above): truncation h^2/6 |F'''| and rounding eps |F| / h are both ~1e-10 for these
    // |F| ~ 1..10 and |F'''| ~ 1..100 (rows kept away from ties, where F''' grows like beta^2);
    // the continuous quadrature adds ~1e-15 |F| / h more. 1e-6 relative (with the gradients'
    // natural scale 1 + |y| + |w| as a floor) is ~1000x above all of that.
    const double scale = 1.0 + y.norm() + std::hypot(w.w1, w.w2);
    auto fAtY = [&](const Vec2 &p) { return model.freeEnergy(p, beta); };
    auto fAtW = [&](const EllipseParams &v) { return EllipseEbm(v, model.latents()).freeEnergy(y, beta); };
    const double dy1 = (fAtY(y + Vec2(h, 0)) - fAtY(y - Vec2(h, 0))) / (2 * h);
    const double dy2 = (fAtY(y + Vec2(0, h)) - fAtY(y - Vec2(0, h))) / (2 * h);
    const double dw1 = (fAtW({w.w1 + h, w.w2}) - fAtW({w.w1 - h, w.w2})) / (2 * h);
    const double dw2 = (fAtW({w.w1, w.w2 + h}) - fAtW({w.w1, w.w2 - h})) / (2 * h);
    const ebm::Inference inf = model.infer(y, beta);
    EBM_COMPARE_REL(inf.gradY.x(), dy1, 1e-6, scale);
    EBM_COMPARE_REL(inf.gradY.y(), dy2, 1e-6, scale);
    EBM_COMPARE_REL(inf.gradW.x(), dw1, 1e-6, scale);
    EBM_COMPARE_REL(inf.gradW.y(), dw2, 1e-6, scale);
    // And the documented link between the two: grad_y F = 2 (y - y_bar).
    EBM_COMPARE_REL(inf.gradY.x(), 2.0 * (y.x() - inf.posteriorMean.x()), 1e-15, scale);
    EBM_COMPARE_REL(inf.gradY.y(), 2.0 * (y.y() - inf.posteriorMean.y()), 1e-15, scale);
}

void InferenceGradientsTest::extremeInputsStayFinite_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<EllipseParams>("w");
    QTest::addColumn<QPointF>("yPoint");
    const std::vector<EllipseParams> ws = {{2.0, 1.5},  {0.0, 0.0},   {0.0, 1.0},  {1.0, 0.0},
                                           {-2.0, 1.5}, {-1.0, -3.0}, {1e-3, 5.0}, {300.0, -0.5}};
    const std::vector<QPointF> ys = {{0, 0}, {1, 0.5}, {1e3, 0}, {0, -1e3}, {-700, 700}};
    for (int n : {1, 4096, 0}) {
        for (const EllipseParams &w : ws) {
            for (const QPointF &y : ys) {
                QTest::addRow("%s w=(%g,%g) y=(%g,%g)", qPrintable(latentsName(n)), w.w1, w.w2, y.x(), y.y())
                    << n << w << y;
            }
        }
    }
}

void InferenceGradientsTest::extremeInputsStayFinite()
{
    QFETCH(int, count);
    QFETCH(EllipseParams, w);
    QFETCH(QPointF, yPoint);
    const Vec2 y(yPoint.x(), yPoint.y());
    const EllipseEbm model(w, ebmtest::latentsFor(count));
    const double cold = model.zeroTemperature(y).value;
    const double hot = model.meanEnergy(y);
    QVERIFY(std::isfinite(cold) && std::isfinite(hot));
    // The bounds as in tst_freeenergybounds: exact in real arithmetic, (64 + N) eps * scale of rounding.
    const double slack =
        (64.0 + count) * std::numeric_limits<double>::epsilon() * (1.0 + y.squaredNorm() + w.w1 * w.w1 + w.w2 * w.w2);
    for (double beta : {1e-6, 1e-3, 1.0, 1e3, 1e6, ebm::kInfiniteBeta}) {
        const QString at = QStringLiteral("beta=%1").arg(beta);
        const ebm::Inference inf = model.infer(y, beta);
        QVERIFY2(std::isfinite(inf.freeEnergy), qPrintable(at));
        QVERIFY2(finite(inf.posteriorMean) && finite(inf.gradY) && finite(inf.gradW), qPrintable(at));
        QVERIFY2(std::isfinite(inf.zeroTemperature.value) && std::isfinite(inf.zeroTemperature.z), qPrintable(at));
        QVERIFY2(cold <= inf.freeEnergy + slack && inf.freeEnergy <= hot + slack,
                 qPrintable(at + QStringLiteral(": F_inf %1, F %2, mean E %3")
                                     .arg(cold, 0, 'g', 17)
                                     .arg(inf.freeEnergy, 0, 'g', 17)
                                     .arg(hot, 0, 'g', 17)));
        if (count > 0) {
            const std::vector<double> p = model.posterior(y, beta);
            double total = 0.0;
            for (double v : p) {
                QVERIFY2(std::isfinite(v) && v >= 0.0, qPrintable(at));
                total += v;
            }
            QVERIFY2(std::abs(total - 1.0) <= 1e-12, qPrintable(at));
        }
        if (count > 0 || std::isfinite(beta)) {
            for (double z : {0.0, 1.0, 4.0}) {
                const double p = model.posteriorAt(y, beta, z);
                QVERIFY2(std::isfinite(p) && p >= 0.0, qPrintable(at + QStringLiteral(" z=%1").arg(z)));
            }
        }
    }
}

QTEST_APPLESS_MAIN(InferenceGradientsTest)
#include "tst_inferencegradients.moc"
