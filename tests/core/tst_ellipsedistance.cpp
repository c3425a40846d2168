// Exact zero-temperature inference for the continuous latent, against a brute-force minimisation
// that knows nothing about ellipse geometry: dense sampling of z, then golden-section refinement of
// every sampled local minimum.
#include "math/ellipsedistance.h"

#include "math/latents.h"

#include "exactcompare.h"
#include "fuzzycompare.h"

#include <QPointF>
#include <QTest>

#include <cmath>
#include <vector>

Q_DECLARE_METATYPE(ebm::EllipseParams)

using ebm::EllipseParams;
using ebm::Vec2;

namespace {

// Evaluating E at any z already rounds by a few eps * (|y|^2 + w1^2 + w2^2) (the cancellation in
// y - g(z) and the squares), so that is the natural absolute scale of every energy comparison.
double energyScale(const Vec2 &y, const EllipseParams &w)
{
    return y.squaredNorm() + w.w1 * w.w1 + w.w2 * w.w2;
}

double goldenSection(const Vec2 &y, const EllipseParams &w, double lo, double hi)
{
    const double invPhi = (std::sqrt(5.0) - 1.0) / 2.0;
    double a = lo, b = hi;
    double c = b - invPhi * (b - a), d = a + invPhi * (b - a);
    double fc = ebm::energy(y, c, w), fd = ebm::energy(y, d, w);
    for (int i = 0; i < 200 && b - a > 1e-15; ++i) {
        if (fc <= fd) {
            b = d;
            d = c;
            fd = fc;
            c = b - invPhi * (b - a);
            fc = ebm::energy(y, c, w);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + invPhi * (b - a);
            fd = ebm::energy(y, d, w);
        }
    }
    return fc <= fd ? c : d;
}

struct BruteMinimum
{
    double z;
    double energy;
};

// Every local minimum of the sampled sequence, refined by golden section on its two-step bracket;
// refining all of them (not just the best sample) keeps two nearly equal minima from fooling us.
std::vector<BruteMinimum> bruteLocalMinima(const Vec2 &y, const EllipseParams &w, int samples = 200000)
{
    std::vector<double> e(static_cast<size_t>(samples));
    for (int k = 0; k < samples; ++k)
        e[static_cast<size_t>(k)] = ebm::energy(y, ebm::kTwoPi * k / samples, w);
    std::vector<BruteMinimum> minima;
    for (int k = 0; k < samples; ++k) {
        const double prev = e[static_cast<size_t>((k + samples - 1) % samples)];
        const double next = e[static_cast<size_t>((k + 1) % samples)];
        if (e[static_cast<size_t>(k)] <= prev && e[static_cast<size_t>(k)] <= next) {
            const double z = goldenSection(y, w, ebm::kTwoPi * (k - 1) / samples, ebm::kTwoPi * (k + 1) / samples);
            minima.push_back({z, ebm::energy(y, z, w)});
        }
    }
    return minima;
}

BruteMinimum bruteGlobalMinimum(const Vec2 &y, const EllipseParams &w)
{
    BruteMinimum best{0.0, ebm::energy(y, 0.0, w)};
    for (const BruteMinimum &m : bruteLocalMinima(y, w)) {
        if (m.energy < best.energy)
            best = m;
    }
    return best;
}

double cyclicDistance(double a, double b)
{
    const double d = std::fmod(std::abs(a - b), ebm::kTwoPi);
    return std::min(d, ebm::kTwoPi - d);
}

} // namespace

class EllipseDistanceTest : public QObject
{
    Q_OBJECT

private slots:
    void closestPointMatchesBruteForce_data();
    void closestPointMatchesBruteForce();
    void localMinimaAreMinima_data();
    void localMinimaAreMinima();
    void localMinimaAreComplete_data();
    void localMinimaAreComplete();
};

void EllipseDistanceTest::closestPointMatchesBruteForce_data()
{
    QTest::addColumn<QPointF>("yPoint");
    QTest::addColumn<EllipseParams>("w");
    const std::vector<std::pair<const char *, EllipseParams>> ws = {
        {"w1>w2", {2.0, 1.5}},
        {"w1<w2", {1.5, 2.0}},
        {"circle", {1.3, 1.3}},
        {"-w1", {-2.0, 1.5}},
        {"-w2", {2.0, -1.5}},
        {"-w1,-w2", {-1.5, -2.0}},
        {"w1=0", {0.0, 1.5}},
        {"w2=0", {2.0, 0.0}},
        {"w=0", {0.0, 0.0}},
        {"eccentric", {3.0, 0.01}},
        {"near circle", {1.0, 1.0 + 1e-9}},
        {"large", {40.0, 25.0}},
    };
    for (const auto &[wName, w] : ws) {
        const Vec2 g1 = ebm::decode(w, 0.7), g2 = ebm::decode(w, 4.0);
        const double a = std::abs(w.w1), b = std::abs(w.w2);
        std::vector<std::pair<QString, Vec2>> ys = {
            {"inside", {0.3, 0.2}},
            {"inside2", {-0.5, -0.1}},
            {"outside", {3.0, 2.0}},
            {"outside2", {-2.5, 1.0}},
            {"axis y2", {0.0, 0.7}},
            {"axis y1", {1.2, 0.0}},
            {"axis -y2 far", {0.0, -5.0}},
            {"axis -y1 far", {-4.0, 0.0}},
            {"origin", {0.0, 0.0}},
            {"on curve", g1},
            {"on curve 2", g2},
            {"far", {1e3, -700.0}},
            {"far axis", {-1e3, 0.0}},
            {"near axis", {0.4, 1e-12}},
            {"by y2 end", {0.5, 1.49}},
        };
        // The cusps of the evolute on the major axis: where two minima merge into one.
        if (a != b) {
            const double cusp = (a * a - b * b) / std::max(a, b);
            ys.push_back({"cusp", a > b ? Vec2(cusp, 0.0) : Vec2(0.0, cusp)});
            ys.push_back({"near cusp", a > b ? Vec2(cusp * 0.999, 1e-6) : Vec2(1e-6, cusp * 1.001)});
        }
        for (const auto &[yName, y] : ys)
            QTest::addRow("%s %s", wName, qPrintable(yName)) << QPointF(y.x(), y.y()) << w;
    }
}

void EllipseDistanceTest::closestPointMatchesBruteForce()
{
    QFETCH(QPointF, yPoint);
    QFETCH(EllipseParams, w);
    const Vec2 y(yPoint.x(), yPoint.y());
    const ebm::ClosestPoint ours = ebm::closestPointOnEllipse(y, w);
    const BruteMinimum brute = bruteGlobalMinimum(y, w);
    const double scale = energyScale(y, w);

    QVERIFY2(ours.z >= 0.0 && ours.z < ebm::kTwoPi, qPrintable(QString::number(ours.z, 'g', 17)));
    // The reported energy is E at the reported angle (up to evaluation order).
    EBM_COMPARE_REL(ours.energy, ebm::energy(y, ours.z, w), 1e-15, scale);
    // Both are the same minimum: golden section converges in E to a few eps * scale, so 1e-12
    // relative with that absolute floor is ~5000x the rounding of E and far below any wrong branch.
    EBM_COMPARE_REL(ours.energy, brute.energy, 1e-12, scale);
    // The brute force only ever evaluates E, so it is an upper bound on the true minimum; an
    // exact solver can beat it only by the rounding of E.
    QVERIFY2(
        ours.energy <= brute.energy + 1e-14 * scale,
        qPrintable(QStringLiteral("ours %1 > brute %2").arg(ours.energy, 0, 'g', 17).arg(brute.energy, 0, 'g', 17)));
}

void EllipseDistanceTest::localMinimaAreMinima_data()
{
    QTest::addColumn<QPointF>("yPoint");
    QTest::addColumn<EllipseParams>("w");
    QTest::newRow("inside, two minima") << QPointF(0.3, 0.2) << EllipseParams{2.0, 1.5};
    QTest::newRow("outside") << QPointF(3.0, 2.0) << EllipseParams{2.0, 1.5};
    QTest::newRow("on minor axis") << QPointF(0.0, 0.5) << EllipseParams{2.0, 1.5};
    QTest::newRow("w1<w2 inside") << QPointF(-0.2, 0.1) << EllipseParams{1.5, 2.0};
    QTest::newRow("negative w") << QPointF(0.4, -0.3) << EllipseParams{-2.0, -1.5};
    QTest::newRow("eccentric") << QPointF(0.5, 0.003) << EllipseParams{3.0, 0.01};
    QTest::newRow("circle off-centre") << QPointF(0.1, 0.2) << EllipseParams{1.0, 1.0};
    QTest::newRow("circle centre (flat)") << QPointF(0.0, 0.0) << EllipseParams{1.0, 1.0};
    QTest::newRow("w=0 (flat)") << QPointF(1.0, -2.0) << EllipseParams{0.0, 0.0};
    QTest::newRow("segment w2=0") << QPointF(0.5, 0.5) << EllipseParams{2.0, 0.0};
    QTest::newRow("far") << QPointF(800.0, 300.0) << EllipseParams{2.0, 1.5};
}

void EllipseDistanceTest::localMinimaAreMinima()
{
    QFETCH(QPointF, yPoint);
    QFETCH(EllipseParams, w);
    const Vec2 y(yPoint.x(), yPoint.y());
    const ebm::ClosestPoint global = ebm::closestPointOnEllipse(y, w);
    const std::vector<double> minima = ebm::localMinimaOfEnergy(y, w, global.z);
    QVERIFY(!minima.empty());
    EBM_COMPARE_EXACT(minima.front(), global.z);
    // C bounds |dE/dz| and |d2E/dz2| over the circle. "Refined to machine precision" means a root
    // of dE/dz to rounding, |E'| ~ eps * C; 1e-10 * C leaves a wide margin yet is far below the
    // ~1e-8 * C an energy-only refinement (stopping when E stops decreasing) would leave.
    const double c = 2.0 * (std::abs(w.w2 * w.w2 - w.w1 * w.w1) + std::abs(y.x() * w.w1) + std::abs(y.y() * w.w2));
    for (double z : minima) {
        QVERIFY(z >= 0.0 && z < ebm::kTwoPi);
        const double d1 = ebm::energyDz(y, z, w), d2 = ebm::energyDzz(y, z, w);
        QVERIFY2(std::abs(d1) <= 1e-10 * c + 1e-300,
                 qPrintable(QStringLiteral("z=%1: dE/dz = %2, C = %3").arg(z, 0, 'g', 17).arg(d1).arg(c)));
        QVERIFY2(d2 >= -1e-10 * c, qPrintable(QStringLiteral("z=%1: d2E/dz2 = %2").arg(z, 0, 'g', 17).arg(d2)));
        // The first one is the global minimum.
        QVERIFY(global.energy <= ebm::energy(y, z, w) + 1e-14 * energyScale(y, w));
    }
}

void EllipseDistanceTest::localMinimaAreComplete_data()
{
    QTest::addColumn<QPointF>("yPoint");
    QTest::addColumn<EllipseParams>("w");
    QTest::addColumn<int>("count"); // distinct local minima, from the geometry
    // Inside the evolute (an astroid) there are 4 normals to the ellipse (2 minima), outside 2 (1 minimum).
    QTest::newRow("inside evolute") << QPointF(0.3, 0.2) << EllipseParams{2.0, 1.5} << 2;
    QTest::newRow("outside evolute, inside ellipse") << QPointF(1.5, 0.6) << EllipseParams{2.0, 1.5} << 1;
    QTest::newRow("outside ellipse") << QPointF(3.0, 2.0) << EllipseParams{2.0, 1.5} << 1;
    QTest::newRow("w1<w2 inside evolute") << QPointF(-0.2, 0.1) << EllipseParams{1.5, 2.0} << 2;
    QTest::newRow("negative w inside evolute") << QPointF(0.4, -0.3) << EllipseParams{-2.0, -1.5} << 2;
    QTest::newRow("eccentric inside") << QPointF(0.5, 0.003) << EllipseParams{3.0, 0.01} << 2;
}

void EllipseDistanceTest::localMinimaAreComplete()
{
    QFETCH(QPointF, yPoint);
    QFETCH(EllipseParams, w);
    QFETCH(int, count);
    const Vec2 y(yPoint.x(), yPoint.y());
    const std::vector<BruteMinimum> brute = bruteLocalMinima(y, w);
    QCOMPARE(static_cast<int>(brute.size()), count); // the row's geometry claim
    const std::vector<double> minima = ebm::localMinimaOfEnergy(y, w, ebm::closestPointOnEllipse(y, w).z);
    for (const BruteMinimum &m : brute) {
        double nearest = INFINITY;
        for (double z : minima)
            nearest = std::min(nearest, cyclicDistance(z, m.z));
        // Golden section pins z to ~sqrt(eps) relative where E is flat; 1e-6 rad is well above that.
        QVERIFY2(nearest < 1e-6, qPrintable(QStringLiteral("brute minimum at z=%1 missing").arg(m.z, 0, 'g', 17)));
    }
}

QTEST_APPLESS_MAIN(EllipseDistanceTest)
#include "tst_ellipsedistance.moc"
