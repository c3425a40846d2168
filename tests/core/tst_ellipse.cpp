// The ellipse decoder and its energy: closed values at a few exact points, and every analytic
// derivative against a central finite difference of the function it claims to differentiate.
#include "math/ellipse.h"

#include "exactcompare.h"
#include "fuzzycompare.h"

#include <QTest>

#include <QPointF>

#include <cmath>

Q_DECLARE_METATYPE(ebm::EllipseParams)

using ebm::EllipseParams;
using ebm::Vec2;

namespace {

// Central differences with h = 1e-5: the truncation error is h^2/6 |f'''| ~ 2e-11 |f'''| and the
// rounding error eps |f| / h ~ 2e-11 |f|. Every f here is a polynomial of degree 2 in y, w and
// trigonometric in z, so |f|, |f'''| <= c * scale with scale = 1 + |y|^2 + |w|^2 + |y||w| and c of
// order 10. An absolute tolerance of 1e-7 * scale is therefore ~100x above the method's error,
// while a wrong sign, factor or term in a formula shows up at O(|w|^2) or O(|y||w|), i.e. >> 1e-7 scale.
constexpr double kStep = 1e-5;
constexpr double kTolerance = 1e-7;

double naturalScale(const Vec2 &y, const EllipseParams &w)
{
    const double wn = std::hypot(w.w1, w.w2);
    return 1.0 + y.squaredNorm() + wn * wn + y.norm() * wn;
}

template<typename F>
double centralDifference(F f, double h = kStep)
{
    return (f(h) - f(-h)) / (2.0 * h);
}

} // namespace

class EllipseTest : public QObject
{
    Q_OBJECT

private slots:
    void decodeAtExactAngles_data();
    void decodeAtExactAngles();
    void energyIsSquaredDistance();
    void energyDz_data() { derivativeRows(); }
    void energyDz();
    void energyDzz_data() { derivativeRows(); }
    void energyDzz();
    void energyGradY_data() { derivativeRows(); }
    void energyGradY();
    void energyGradW_data() { derivativeRows(); }
    void energyGradW();

private:
    static void derivativeRows();
};

void EllipseTest::decodeAtExactAngles_data()
{
    QTest::addColumn<double>("z");
    QTest::addColumn<double>("expected1");
    QTest::addColumn<double>("expected2");
    // w = (2, -1.5): also checks that each radius multiplies its own coordinate, sign kept.
    QTest::newRow("z=0") << 0.0 << 2.0 << 0.0;
    QTest::newRow("z=pi/2") << M_PI / 2 << 0.0 << -1.5;
    QTest::newRow("z=pi") << M_PI << -2.0 << 0.0;
    QTest::newRow("z=3pi/2") << 1.5 * M_PI << 0.0 << 1.5;
    QTest::newRow("z=pi/3") << M_PI / 3 << 1.0 << -1.5 * std::sqrt(3.0) / 2;
    QTest::newRow("z=-pi/4") << -M_PI / 4 << std::sqrt(2.0) << 1.5 / std::sqrt(2.0);
}

void EllipseTest::decodeAtExactAngles()
{
    QFETCH(double, z);
    QFETCH(double, expected1);
    QFETCH(double, expected2);
    const Vec2 g = ebm::decode({2.0, -1.5}, z);
    // cos and sin of a rounded angle are off by ~1 ulp of pi times the radius: 1e-15 absolute.
    EBM_COMPARE_REL(g.x(), expected1, 1e-15, 2.0);
    EBM_COMPARE_REL(g.y(), expected2, 1e-15, 2.0);
}

void EllipseTest::energyIsSquaredDistance()
{
    const EllipseParams w{2.0, 1.5};
    // Values worked out by hand: E = (y1 - w1 cos z)^2 + (y2 - w2 sin z)^2.
    EBM_COMPARE_EXACT(ebm::energy(Vec2(1.0, 2.0), 0.0, w), 5.0);          // (1-2)^2 + 2^2
    EBM_COMPARE_EXACT(ebm::energy(Vec2(2.0, 0.0), 0.0, w), 0.0);          // on the manifold
    EBM_COMPARE_EXACT(ebm::energy(Vec2(0.0, 0.0), 0.0, {0.0, 0.0}), 0.0); // degenerate decoder
    EBM_COMPARE_REL(ebm::energy(Vec2(-1.0, 3.0), M_PI / 2, w), 1.0 + 2.25, 1e-15, 1.0);
    EBM_COMPARE_REL(ebm::energy(Vec2(0.0, 0.0), M_PI, {-3.0, 7.0}), 9.0, 1e-15, 1.0);
    // Periodic in z.
    EBM_COMPARE_REL(ebm::energy(Vec2(0.4, -0.9), 0.7, w), ebm::energy(Vec2(0.4, -0.9), 0.7 + 2 * M_PI, w), 1e-14, 1.0);
}

void EllipseTest::derivativeRows()
{
    QTest::addColumn<QPointF>("yPoint");
    QTest::addColumn<double>("z");
    QTest::addColumn<EllipseParams>("w");
    QTest::newRow("default w, inside") << QPointF(0.3, 0.2) << 0.4 << EllipseParams{2.0, 1.5};
    QTest::newRow("default w, outside") << QPointF(3.0, -2.0) << 2.3 << EllipseParams{2.0, 1.5};
    QTest::newRow("w1 < w2") << QPointF(-1.1, 0.7) << 4.0 << EllipseParams{1.5, 2.0};
    QTest::newRow("circle") << QPointF(0.5, 0.5) << 1.0 << EllipseParams{1.0, 1.0};
    QTest::newRow("negative w1") << QPointF(0.8, -0.3) << 5.5 << EllipseParams{-2.0, 1.5};
    QTest::newRow("negative w2") << QPointF(-0.8, 1.3) << 0.9 << EllipseParams{2.0, -1.5};
    QTest::newRow("both negative") << QPointF(1.7, 1.9) << 3.1 << EllipseParams{-1.2, -0.7};
    QTest::newRow("w1 zero") << QPointF(0.6, -1.4) << 2.0 << EllipseParams{0.0, 1.5};
    QTest::newRow("w2 zero") << QPointF(-0.6, 0.4) << 0.3 << EllipseParams{2.0, 0.0};
    QTest::newRow("w zero") << QPointF(1.0, 2.0) << 1.2 << EllipseParams{0.0, 0.0};
    QTest::newRow("y at origin") << QPointF(0.0, 0.0) << 0.7 << EllipseParams{2.0, 1.5};
    QTest::newRow("z = 0") << QPointF(1.0, 1.0) << 0.0 << EllipseParams{2.0, 1.5};
    QTest::newRow("z near 2pi") << QPointF(1.0, -1.0) << 6.28 << EllipseParams{2.0, 1.5};
    QTest::newRow("negative z") << QPointF(-2.0, 0.5) << -2.5 << EllipseParams{2.0, 1.5};
    QTest::newRow("y on manifold") << QPointF(2.0 * std::cos(1.1), 1.5 * std::sin(1.1)) << 1.1
                                   << EllipseParams{2.0, 1.5};
    QTest::newRow("large y") << QPointF(700.0, -650.0) << 2.2 << EllipseParams{2.0, 1.5};
    QTest::newRow("large w") << QPointF(0.5, 0.1) << 0.6 << EllipseParams{30.0, -45.0};
}

void EllipseTest::energyDz()
{
    QFETCH(QPointF, yPoint);
    const Vec2 y(yPoint.x(), yPoint.y());
    QFETCH(double, z);
    QFETCH(EllipseParams, w);
    const double fd = centralDifference([&](double h) { return ebm::energy(y, z + h, w); });
    EBM_COMPARE_REL(ebm::energyDz(y, z, w), fd, kTolerance, naturalScale(y, w));
}

void EllipseTest::energyDzz()
{
    QFETCH(QPointF, yPoint);
    const Vec2 y(yPoint.x(), yPoint.y());
    QFETCH(double, z);
    QFETCH(EllipseParams, w);
    // The derivative of energyDz, itself checked against E above, so the chain reaches E.
    const double fd = centralDifference([&](double h) { return ebm::energyDz(y, z + h, w); });
    EBM_COMPARE_REL(ebm::energyDzz(y, z, w), fd, kTolerance, naturalScale(y, w));
    // And straight from E by the second difference (rounding eps |E| / h^2, so a larger step).
    const double h = 1e-4;
    const double fd2 = (ebm::energy(y, z + h, w) - 2.0 * ebm::energy(y, z, w) + ebm::energy(y, z - h, w)) / (h * h);
    EBM_COMPARE_REL(ebm::energyDzz(y, z, w), fd2, 1e-5, naturalScale(y, w));
}

void EllipseTest::energyGradY()
{
    QFETCH(QPointF, yPoint);
    const Vec2 y(yPoint.x(), yPoint.y());
    QFETCH(double, z);
    QFETCH(EllipseParams, w);
    const Vec2 g = ebm::energyGradY(y, z, w);
    const double d1 = centralDifference([&](double h) { return ebm::energy(y + Vec2(h, 0.0), z, w); });
    const double d2 = centralDifference([&](double h) { return ebm::energy(y + Vec2(0.0, h), z, w); });
    EBM_COMPARE_REL(g.x(), d1, kTolerance, naturalScale(y, w));
    EBM_COMPARE_REL(g.y(), d2, kTolerance, naturalScale(y, w));
}

void EllipseTest::energyGradW()
{
    QFETCH(QPointF, yPoint);
    const Vec2 y(yPoint.x(), yPoint.y());
    QFETCH(double, z);
    QFETCH(EllipseParams, w);
    const Vec2 g = ebm::energyGradW(y, z, w);
    const double d1 = centralDifference([&](double h) { return ebm::energy(y, z, {w.w1 + h, w.w2}); });
    const double d2 = centralDifference([&](double h) { return ebm::energy(y, z, {w.w1, w.w2 + h}); });
    EBM_COMPARE_REL(g.x(), d1, kTolerance, naturalScale(y, w));
    EBM_COMPARE_REL(g.y(), d2, kTolerance, naturalScale(y, w));
}

QTEST_APPLESS_MAIN(EllipseTest)
#include "tst_ellipse.moc"
