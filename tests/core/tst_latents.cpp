// The latent sets: Z_N = {2 pi k / N}, the cyclic nearest latent (ties to the smaller k), snapping,
// the continuous latent and angle wrapping.
#include "math/latents.h"

#include "exactcompare.h"
#include "fuzzycompare.h"

#include <QTest>

#include <cmath>
#include <stdexcept>

using ebm::LatentSpec;

namespace {

constexpr long double kTwoPiLong = 6.283185307179586476925286766559005768L;

// Cyclic distance on the circle, in long double so that the reference does not share the
// rounding of the double arithmetic under test.
long double cyclicDistance(long double a, long double b)
{
    long double d = std::fmod(std::fabs(a - b), kTwoPiLong);
    return std::min(d, kTwoPiLong - d);
}

} // namespace

class LatentsTest : public QObject
{
    Q_OBJECT

private slots:
    void sampledAngles_data();
    void sampledAngles();
    void continuousHasNoAngles();
    void sampledRejectsEmptySets_data();
    void sampledRejectsEmptySets();
    void nearestIndex_data();
    void nearestIndex();
    void nearestIndexMatchesBruteForce();
    void snap_data();
    void snap();
    void wrapAngle_data();
    void wrapAngle();
    void equality();
};

void LatentsTest::sampledAngles_data()
{
    QTest::addColumn<int>("count");
    for (int n : {1, 2, 3, 7, 48, 1024})
        QTest::addRow("N=%d", n) << n;
}

void LatentsTest::sampledAngles()
{
    QFETCH(int, count);
    const LatentSpec spec = LatentSpec::sampled(count);
    QVERIFY(!spec.isContinuous());
    QCOMPARE(spec.count(), count);
    const std::vector<double> zs = spec.angles();
    QCOMPARE(zs.size(), static_cast<size_t>(count));
    EBM_COMPARE_EXACT(zs.front(), 0.0);
    for (int k = 0; k < count; ++k) {
        // One rounding of 2 pi k / N: a few ulps of 2 pi.
        EBM_COMPARE_REL(spec.angle(k), static_cast<double>(kTwoPiLong * k / count), 4e-16, 1.0);
        EBM_COMPARE_EXACT(zs[static_cast<size_t>(k)], spec.angle(k));
        if (k > 0)
            QVERIFY(zs[static_cast<size_t>(k)] > zs[static_cast<size_t>(k - 1)]);
    }
    // 2 pi itself is excluded: the last latent is one step short of it.
    QVERIFY(zs.back() < ebm::kTwoPi);
    EBM_COMPARE_REL(ebm::kTwoPi - zs.back(), static_cast<double>(kTwoPiLong / count), 1e-12, 1.0);
}

void LatentsTest::continuousHasNoAngles()
{
    const LatentSpec spec = LatentSpec::continuous();
    QVERIFY(spec.isContinuous());
    QCOMPARE(spec.count(), 0);
    QVERIFY(spec.angles().empty());
    QVERIFY(spec != LatentSpec::sampled(1));
    // Snapping does nothing but wrap.
    EBM_COMPARE_EXACT(spec.snap(1.25), 1.25);
    EBM_COMPARE_REL(spec.snap(-1.0), static_cast<double>(kTwoPiLong - 1.0L), 1e-15, 1.0);
}

void LatentsTest::sampledRejectsEmptySets_data()
{
    QTest::addColumn<int>("count");
    QTest::newRow("zero") << 0;
    QTest::newRow("negative") << -3;
}

void LatentsTest::sampledRejectsEmptySets()
{
    QFETCH(int, count);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, LatentSpec::sampled(count));
}

void LatentsTest::nearestIndex_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<double>("z");
    QTest::addColumn<int>("expected");
    // A tie is only a tie if z N / 2 pi is exactly k + 1/2 in doubles; nearestIndex() checks that
    // precondition for the rows named "tie" so that a row cannot silently stop being one.
    QTest::newRow("N=1 anything") << 1 << 3.0 << 0;
    QTest::newRow("N=1 negative") << 1 << -5.0 << 0;
    QTest::newRow("N=4 exact latent") << 4 << M_PI / 2 << 1;
    QTest::newRow("N=4 just below z1") << 4 << M_PI / 2 - 0.1 << 1;
    QTest::newRow("N=4 just above z0") << 4 << 0.1 << 0;
    QTest::newRow("N=4 below 2pi wraps to 0") << 4 << ebm::kTwoPi - 0.1 << 0;
    QTest::newRow("N=4 at 2pi wraps to 0") << 4 << ebm::kTwoPi << 0;
    QTest::newRow("N=4 negative small") << 4 << -0.1 << 0;
    QTest::newRow("N=4 negative quarter") << 4 << -M_PI / 2 << 3;
    QTest::newRow("N=4 negative, more than a turn") << 4 << -ebm::kTwoPi - M_PI + 0.2 << 2;
    QTest::newRow("N=4 several turns") << 4 << 5 * ebm::kTwoPi + M_PI / 2 + 0.3 << 1;
    QTest::newRow("N=4 tie between 0 and 1") << 4 << M_PI / 4 << 0;
    QTest::newRow("N=4 tie between 1 and 2") << 4 << 3 * ebm::kTwoPi / 8 << 1;
    QTest::newRow("N=4 tie between 3 and 0 (wrap)") << 4 << 7 * ebm::kTwoPi / 8 << 0;
    QTest::newRow("N=4 negative tie between 3 and 0") << 4 << -ebm::kTwoPi / 8 << 0;
    QTest::newRow("N=2 tie at pi/2") << 2 << M_PI / 2 << 0;
    QTest::newRow("N=2 tie at 3pi/2 (wrap)") << 2 << 3 * ebm::kTwoPi / 4 << 0;
    QTest::newRow("N=48 halfway 23.5 tie") << 48 << 47 * ebm::kTwoPi / 96 << 23;
    QTest::newRow("N=48 just past halfway") << 48 << 47 * ebm::kTwoPi / 96 + 1e-9 << 24;
    QTest::newRow("N=48 pi") << 48 << M_PI << 24;
    QTest::newRow("N=48 -pi") << 48 << -M_PI << 24;
    QTest::newRow("N=7 near z6 from above") << 7 << 6 * ebm::kTwoPi / 7 + 0.01 << 6;
    QTest::newRow("N=7 between z6 and 2pi, nearer 2pi") << 7 << ebm::kTwoPi - 0.2 << 0;
}

void LatentsTest::nearestIndex()
{
    QFETCH(int, count);
    QFETCH(double, z);
    QFETCH(int, expected);
    const LatentSpec spec = LatentSpec::sampled(count);
    if (QByteArray(QTest::currentDataTag()).contains("tie")) {
        const double steps = ebm::wrapAngle(z) * count / ebm::kTwoPi;
        QVERIFY2(steps - std::floor(steps) == 0.5, "test row is not an exact tie in double arithmetic");
    }
    QCOMPARE(spec.nearestIndex(z), expected);
}

void LatentsTest::nearestIndexMatchesBruteForce()
{
    // Many z, including negative and several turns, against an argmin over all k of the cyclic
    // distance (computed in long double). Near-ties are skipped: the rounding of the double input
    // decides them, and the exact ties have their own rows above.
    for (int count : {1, 2, 3, 5, 48, 100}) {
        const LatentSpec spec = LatentSpec::sampled(count);
        for (int i = -2000; i <= 2000; ++i) {
            const double z = i * 0.01234567;
            int best = 0;
            long double bestD = cyclicDistance(z, kTwoPiLong * 0 / count), secondD = INFINITY;
            for (int k = 1; k < count; ++k) {
                const long double d = cyclicDistance(z, kTwoPiLong * k / count);
                if (d < bestD) {
                    secondD = bestD;
                    bestD = d;
                    best = k;
                } else {
                    secondD = std::min(secondD, d);
                }
            }
            if (secondD - bestD < 1e-9L)
                continue;
            QVERIFY2(spec.nearestIndex(z) == best, qPrintable(QStringLiteral("N=%1 z=%2: got %3, expected %4")
                                                                  .arg(count)
                                                                  .arg(z, 0, 'g', 17)
                                                                  .arg(spec.nearestIndex(z))
                                                                  .arg(best)));
        }
    }
}

void LatentsTest::snap_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<double>("z");
    for (int n : {1, 4, 48}) {
        for (double z : {0.0, 0.3, 1.0, 3.0, 6.2, -0.4, -7.0, 40.0})
            QTest::addRow("N=%d z=%g", n, z) << n << z;
    }
}

void LatentsTest::snap()
{
    QFETCH(int, count);
    QFETCH(double, z);
    const LatentSpec spec = LatentSpec::sampled(count);
    const double s = spec.snap(z);
    EBM_COMPARE_EXACT(s, spec.angle(spec.nearestIndex(z)));
    // The snapped angle is a latent within half a step of z, cyclically.
    QVERIFY(cyclicDistance(s, z) <= kTwoPiLong / (2 * count) + 1e-12L);
    EBM_COMPARE_EXACT(spec.snap(s), s);
}

void LatentsTest::wrapAngle_data()
{
    QTest::addColumn<double>("z");
    QTest::addColumn<double>("expected");
    QTest::newRow("zero") << 0.0 << 0.0;
    QTest::newRow("inside") << 1.0 << 1.0;
    QTest::newRow("just below 2pi") << 6.28 << 6.28;
    QTest::newRow("2pi") << ebm::kTwoPi << 0.0;
    QTest::newRow("-2pi") << -ebm::kTwoPi << 0.0;
    QTest::newRow("negative") << -1.0 << static_cast<double>(kTwoPiLong - 1.0L);
    QTest::newRow("above 2pi") << 7.0 << static_cast<double>(7.0L - kTwoPiLong);
    QTest::newRow("three turns") << 3 * ebm::kTwoPi + 0.5 << 0.5;
    QTest::newRow("minus three turns") << -3 * ebm::kTwoPi - 0.5 << static_cast<double>(kTwoPiLong - 0.5L);
    // -tiny + 2 pi rounds to 2 pi, which is outside [0, 2 pi): it must come back as 0 (cyclically equal).
    QTest::newRow("negative tiny") << -1e-300 << 0.0;
    QTest::newRow("-ulp") << -1e-17 << 0.0;
}

void LatentsTest::wrapAngle()
{
    QFETCH(double, z);
    QFETCH(double, expected);
    const double r = ebm::wrapAngle(z);
    QVERIFY2(r >= 0.0 && r < ebm::kTwoPi, qPrintable(QString::number(r, 'g', 17)));
    // fmod is exact; the only rounding is that of 2 pi times the number of turns: ~1e-15 per turn.
    // Compared cyclically: just below 2 pi and 0 are the same angle.
    QVERIFY2(cyclicDistance(r, expected) <= 4e-15L,
             qPrintable(QStringLiteral("%1 -> %2").arg(z, 0, 'g', 17).arg(r, 0, 'g', 17)));
}

void LatentsTest::equality()
{
    QVERIFY(LatentSpec::sampled(48) == LatentSpec::sampled(48));
    QVERIFY(LatentSpec::sampled(48) != LatentSpec::sampled(47));
    QVERIFY(LatentSpec::continuous() == LatentSpec::continuous());
}

QTEST_APPLESS_MAIN(LatentsTest)
#include "tst_latents.moc"
