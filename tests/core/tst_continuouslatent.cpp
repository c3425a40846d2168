// The continuous latent: the circle's closed form (MODEL.md's exact oracle, with von Mises moments
// for the gradients), the posterior density, and the sampled model converging to it as N grows.
#include "math/ellipsedistance.h"
#include "math/ellipseebm.h"

#include "exactcompare.h"
#include "fuzzycompare.h"

#include <QPointF>
#include <QTest>

#include <cmath>
#include <stdexcept>
#include <vector>

Q_DECLARE_METATYPE(ebm::EllipseParams)

using ebm::EllipseEbm;
using ebm::EllipseParams;
using ebm::LatentSpec;
using ebm::Vec2;

namespace {

// log I0(x), accurate to ~5e-16 relative on [0, 4e9] (checked against mpmath at 40 digits):
// the power series through log1p where I0 - 1 is small, libstdc++'s I0 where it neither
// underflows nor overflows, and Hankel's asymptotic expansion beyond (terms ((2k-1)!!)^2 / (k! (8x)^k)).
double logBesselI0(double x)
{
    x = std::abs(x);
    if (x < 1.0) {
        const double q = x * x / 4.0;
        double term = 1.0, sum = 0.0;
        for (int k = 1; k < 60; ++k) {
            term *= q / (double(k) * k);
            sum += term;
            if (term <= 1e-17 * sum)
                break;
        }
        return std::log1p(sum);
    }
    if (x <= 500.0)
        return std::log(std::cyl_bessel_i(0.0, x));
    const double u = 1.0 / (8.0 * x);
    double term = 1.0, sum = 0.0;
    for (int k = 1; k < 30; ++k) {
        term *= (2.0 * k - 1.0) * (2.0 * k - 1.0) * u / k;
        sum += term;
        if (term <= 1e-17 * sum)
            break;
    }
    return x - 0.5 * std::log(2.0 * M_PI * x) + std::log1p(sum);
}

EllipseEbm circle(double r)
{
    return EllipseEbm({r, r}, LatentSpec::continuous());
}

} // namespace

class ContinuousLatentTest : public QObject
{
    Q_OBJECT

private slots:
    void besselOracle();
    void circleFreeEnergy_data();
    void circleFreeEnergy();
    void circleGradients_data();
    void circleGradients();
    void zeroTemperatureIsClosestPoint();
    void posteriorDensity_data();
    void posteriorDensity();
    void posteriorDensityNeedsFiniteBeta();
    void sampledConvergesToContinuous_data();
    void sampledConvergesToContinuous();
};

void ContinuousLatentTest::besselOracle()
{
    // mpmath.log(mpmath.besseli(0, x)) at 40 digits, one point in each branch.
    EBM_COMPARE_REL(logBesselI0(0.5), 0.061549719185481303941, 2e-15, 0.0);
    EBM_COMPARE_REL(logBesselI0(10.0), 7.9429720831186955545, 2e-15, 0.0);
    EBM_COMPARE_REL(logBesselI0(1000.0), 995.62730888986946467, 2e-15, 0.0);
    EBM_COMPARE_REL(logBesselI0(1e6), 999992.17330631281325, 2e-15, 0.0);
    EBM_COMPARE_EXACT(logBesselI0(0.0), 0.0);
}

void ContinuousLatentTest::circleFreeEnergy_data()
{
    QTest::addColumn<double>("r");
    QTest::addColumn<double>("norm");  // |y|
    QTest::addColumn<double>("angle"); // direction of y; the circle does not care
    QTest::addColumn<double>("beta");
    for (double r : {1.0, 2.5}) {
        const std::vector<std::pair<const char *, double>> norms = {{"centre", 0.0},  {"inside", 0.5 * r},
                                                                    {"on circle", r}, {"outside", 1.7 * r},
                                                                    {"far", 50.0},    {"very far", 1e3}};
        for (const auto &[name, norm] : norms) {
            for (double beta : {1e-6, 1e-3, 0.1, 1.0, 10.0, 1e3, 1e6})
                QTest::addRow("r=%g %s beta=%g", r, name, beta) << r << norm << (r == 1.0 ? 0.3 : 2.0) << beta;
        }
    }
}

void ContinuousLatentTest::circleFreeEnergy()
{
    QFETCH(double, r);
    QFETCH(double, norm);
    QFETCH(double, angle);
    QFETCH(double, beta);
    const Vec2 y = norm * Vec2(std::cos(angle), std::sin(angle));
    const EllipseEbm model = circle(r);
    // F_beta = |y|^2 + r^2 - (1/beta) log I0(2 beta r |y|). Its own evaluation cancels: at large beta
    // the log term is ~|y|^2 + r^2 - (|y| - r)^2, so the oracle is only good to a few eps *
    // (|y|^2 + r^2) absolutely (plus 5e-16 relative of the log term, which is <= |y|^2 + r^2).
    // The model's F rounds E itself at the same scale. 1e-12 of that scale is therefore ~1000x the
    // error of either side and still catches a 1e-12 relative error at the hot end, where
    // F ~ |y|^2 + r^2 and the beta-dependent part is beta r^2 |y|^2 >= 1e-6 r^2 |y|^2.
    const double scale = norm * norm + r * r;
    const double expected = scale - logBesselI0(2.0 * beta * r * norm) / beta;
    const double f = model.freeEnergy(y, beta);
    QVERIFY2(std::abs(f - expected) <= 1e-12 * scale, qPrintable(QStringLiteral("F = %1, closed form %2, |diff| = %3")
                                                                     .arg(f, 0, 'g', 17)
                                                                     .arg(expected, 0, 'g', 17)
                                                                     .arg(std::abs(f - expected))));
    // F_inf = (|y| - r)^2: here only E's own rounding, a few eps * scale.
    const double cold = (norm - r) * (norm - r);
    QVERIFY2(std::abs(model.freeEnergy(y, ebm::kInfiniteBeta) - cold) <= 1e-14 * scale,
             qPrintable(QStringLiteral("F_inf = %1, expected %2")
                            .arg(model.freeEnergy(y, ebm::kInfiniteBeta), 0, 'g', 17)
                            .arg(cold, 0, 'g', 17)));
}

void ContinuousLatentTest::circleGradients_data()
{
    QTest::addColumn<double>("r");
    QTest::addColumn<QPointF>("yPoint");
    QTest::addColumn<double>("beta");
    // kappa = 2 beta r |y| kept <= 500 so that std::cyl_bessel_i gives I1 and I2 directly.
    for (double beta : {1e-3, 0.1, 1.0, 10.0, 60.0}) {
        QTest::addRow("centre beta=%g", beta) << 1.5 << QPointF(0.0, 0.0) << beta;
        QTest::addRow("inside beta=%g", beta) << 1.5 << QPointF(0.4, -0.6) << beta;
        QTest::addRow("outside beta=%g", beta) << 1.5 << QPointF(-2.0, 1.1) << beta;
        QTest::addRow("on circle beta=%g", beta) << 1.0 << QPointF(std::cos(2.5), std::sin(2.5)) << beta;
    }
}

void ContinuousLatentTest::circleGradients()
{
    QFETCH(double, r);
    QFETCH(QPointF, yPoint);
    QFETCH(double, beta);
    const Vec2 y(yPoint.x(), yPoint.y());
    // For a circle P(z|y) is von Mises around phi = arg y with kappa = 2 beta r |y|:
    // E[cos(z - phi)] = A1 = I1/I0, E[cos 2(z - phi)] = A2 = I2/I0, odd moments vanish. Hence
    // E[cos z] = A1 cos phi, E[sin z] = A1 sin phi, E[cos^2 z] = (1 + A2 cos 2phi)/2, E[sin^2 z] = (1 - A2 cos 2phi)/2.
    const double kappa = 2.0 * beta * r * y.norm();
    const double phi = std::atan2(y.y(), y.x());
    const double i0 = std::cyl_bessel_i(0.0, kappa);
    const double a1 = kappa > 0 ? std::cyl_bessel_i(1.0, kappa) / i0 : 0.0;
    const double a2 = kappa > 0 ? std::cyl_bessel_i(2.0, kappa) / i0 : 0.0;
    const double meanCos = a1 * std::cos(phi), meanSin = a1 * std::sin(phi);
    const double meanCos2 = 0.5 * (1.0 + a2 * std::cos(2 * phi)), meanSin2 = 0.5 * (1.0 - a2 * std::cos(2 * phi));
    const ebm::Inference inf = circle(r).infer(y, beta);
    // Moments of the quadrature are good to ~1e-15 relative to the mass, Bessel ratios to a few
    // eps; the components are sums of terms of size |y| + r, which sets the absolute floor.
    const double scale = 2.0 * (y.norm() + r);
    EBM_COMPARE_REL(inf.posteriorMean.x(), r * meanCos, 1e-12, scale);
    EBM_COMPARE_REL(inf.posteriorMean.y(), r * meanSin, 1e-12, scale);
    EBM_COMPARE_REL(inf.gradY.x(), 2.0 * (y.x() - r * meanCos), 1e-12, scale);
    EBM_COMPARE_REL(inf.gradY.y(), 2.0 * (y.y() - r * meanSin), 1e-12, scale);
    EBM_COMPARE_REL(inf.gradW.x(), -2.0 * (y.x() * meanCos - r * meanCos2), 1e-12, scale);
    EBM_COMPARE_REL(inf.gradW.y(), -2.0 * (y.y() * meanSin - r * meanSin2), 1e-12, scale);
}

void ContinuousLatentTest::zeroTemperatureIsClosestPoint()
{
    const EllipseEbm model({2.0, 1.5}, LatentSpec::continuous());
    for (const Vec2 &y : {Vec2(0.3, 0.2), Vec2(3.0, -1.0), Vec2(0.0, 0.0), Vec2(-1.0, 1.3)}) {
        const ebm::ClosestPoint p = ebm::closestPointOnEllipse(y, model.params());
        const ebm::ZeroTemperature zt = model.zeroTemperature(y);
        QCOMPARE(zt.k, -1);
        EBM_COMPARE_EXACT(zt.value, p.energy);
        EBM_COMPARE_EXACT(zt.z, p.z);
        const ebm::Inference cold = model.infer(y, ebm::kInfiniteBeta);
        EBM_COMPARE_EXACT(cold.freeEnergy, p.energy);
        QCOMPARE(cold.posteriorMean, ebm::decode(model.params(), p.z));
        QCOMPARE(cold.gradY, Vec2(2.0 * (y - ebm::decode(model.params(), p.z))));
        QCOMPARE(cold.gradW, ebm::energyGradW(y, p.z, model.params()));
    }
}

void ContinuousLatentTest::posteriorDensity_data()
{
    QTest::addColumn<EllipseParams>("w");
    QTest::addColumn<QPointF>("yPoint");
    QTest::addColumn<double>("beta");
    for (double beta : {1e-2, 1.0, 30.0, 1e3}) {
        QTest::addRow("inside beta=%g", beta) << EllipseParams{2.0, 1.5} << QPointF(0.3, 0.2) << beta;
        QTest::addRow("outside beta=%g", beta) << EllipseParams{2.0, 1.5} << QPointF(2.5, -1.0) << beta;
        QTest::addRow("negative w beta=%g", beta) << EllipseParams{-1.0, 2.5} << QPointF(-0.4, 0.9) << beta;
        QTest::addRow("circle beta=%g", beta) << EllipseParams{1.0, 1.0} << QPointF(0.5, 0.0) << beta;
    }
}

void ContinuousLatentTest::posteriorDensity()
{
    QFETCH(EllipseParams, w);
    QFETCH(QPointF, yPoint);
    QFETCH(double, beta);
    const Vec2 y(yPoint.x(), yPoint.y());
    const EllipseEbm model(w, LatentSpec::continuous());
    // The density is periodic and analytic, so the trapezoid rule converges geometrically once
    // the nodes resolve the narrowest peak, width >= 1/sqrt(beta max|E''|) >= 0.0078 in these rows:
    // 4096 nodes (spacing 0.0015) put 5 per width, an aliasing error ~exp(-2 pi^2 5^2), far below 1e-12.
    constexpr int kNodes = 4096;
    double integral = 0.0;
    for (int m = 0; m < kNodes; ++m) {
        const double p = model.posteriorAt(y, beta, 2.0 * M_PI * m / kNodes);
        QVERIFY(std::isfinite(p) && p >= 0.0);
        integral += p;
    }
    integral *= 2.0 * M_PI / kNodes;
    EBM_COMPARE_REL(integral, 1.0, 1e-12, 1.0);
    // The shape is exp(-beta E): ratios between angles, up to the rounding of beta * dE. Angles
    // where the density underflows (beta (E - F_inf) > 600) have no ratio to compare.
    const double eMin = model.zeroTemperature(y).value;
    int compared = 0;
    for (const auto &[z1, z2] : {std::pair{0.3, 2.0}, std::pair{4.0, 5.5}, std::pair{1.0, 1.1}, std::pair{3.0, 3.2}}) {
        const double de = model.energy(y, z1) - model.energy(y, z2);
        const double expected = std::exp(-beta * de);
        if (beta * (model.energy(y, z1) - eMin) > 600 || beta * (model.energy(y, z2) - eMin) > 600)
            continue;
        ++compared;
        EBM_COMPARE_REL(model.posteriorAt(y, beta, z1) / model.posteriorAt(y, beta, z2), expected,
                        1e-13 * (1.0 + beta * std::abs(de)), 0.0);
    }
    QVERIFY(compared > 0 || beta > 100);
    // Wrapped angles are the same point of the circle.
    EBM_COMPARE_REL(model.posteriorAt(y, beta, 0.7 - 2.0 * M_PI), model.posteriorAt(y, beta, 0.7), 1e-12, 0.0);
}

void ContinuousLatentTest::posteriorDensityNeedsFiniteBeta()
{
    const EllipseEbm model({2.0, 1.5}, LatentSpec::continuous());
    // At beta = inf the posterior is a Dirac delta: there is no density to return.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, model.posteriorAt(Vec2(0.3, 0.2), ebm::kInfiniteBeta, 0.0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, model.posteriorAt(Vec2(0.3, 0.2), 0.0, 0.0));
}

void ContinuousLatentTest::sampledConvergesToContinuous_data()
{
    QTest::addColumn<EllipseParams>("w");
    QTest::addColumn<QPointF>("yPoint");
    QTest::addColumn<double>("beta");
    for (double beta : {0.1, 1.0, 10.0}) {
        QTest::addRow("inside beta=%g", beta) << EllipseParams{2.0, 1.5} << QPointF(0.3, 0.2) << beta;
        QTest::addRow("outside beta=%g", beta) << EllipseParams{2.0, 1.5} << QPointF(1.9, 1.2) << beta;
        QTest::addRow("w1<0 beta=%g", beta) << EllipseParams{-1.5, 2.0} << QPointF(-0.8, -2.2) << beta;
        QTest::addRow("segment w1=0 by its end beta=%g", beta) << EllipseParams{0.0, 1.5} << QPointF(0.5, 1.49) << beta;
        QTest::addRow("segment w2=0 beta=%g", beta) << EllipseParams{2.0, 0.0} << QPointF(2.3, 0.4) << beta;
    }
}

void ContinuousLatentTest::sampledConvergesToContinuous()
{
    QFETCH(EllipseParams, w);
    QFETCH(QPointF, yPoint);
    QFETCH(double, beta);
    const Vec2 y(yPoint.x(), yPoint.y());
    const double continuous = EllipseEbm(w, LatentSpec::continuous()).freeEnergy(y, beta);
    // (1/N) sum over Z_N is the trapezoid rule for (1/2pi) int dz, which converges geometrically
    // for a periodic analytic integrand: the error must shrink with N until it hits rounding,
    // a few eps * scale (F is computed from energies of that size).
    const double floor = 1e-13 * (1.0 + y.squaredNorm() + w.w1 * w.w1 + w.w2 * w.w2);
    double previous = INFINITY;
    for (int n : {8, 32, 128, 512}) {
        const double d = std::abs(EllipseEbm(w, LatentSpec::sampled(n)).freeEnergy(y, beta) - continuous);
        QVERIFY2(
            d < previous || d <= floor,
            qPrintable(
                QStringLiteral("N=%1: |F_N - F| = %2 after %3").arg(n).arg(d, 0, 'g', 17).arg(previous, 0, 'g', 17)));
        previous = std::max(d, floor);
    }
    // With beta <= 10 the peaks are >= 0.05 wide, 30 spacings of Z_4096: the sum is exact to rounding.
    const double f4096 = EllipseEbm(w, LatentSpec::sampled(4096)).freeEnergy(y, beta);
    QVERIFY2(
        std::abs(f4096 - continuous) <= 10 * floor,
        qPrintable(QStringLiteral("F_4096 = %1, continuous %2").arg(f4096, 0, 'g', 17).arg(continuous, 0, 'g', 17)));
}

QTEST_APPLESS_MAIN(ContinuousLatentTest)
#include "tst_continuouslatent.moc"
