// The loss landscape's w-range follows the run: the origin, the data's scale and the whole path, with room around.
#include "math/dataset.h"
#include "math/landscaperange.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace ebm;

class TestLandscapeRange : public QObject
{
    Q_OBJECT

private slots:
    void lectureRunKeepsTheLecturesSquare();
    void coversOriginDataAndPath_data();
    void coversOriginDataAndPath();
    void ignoresNonFiniteW();
};

namespace {

std::vector<Vec2> scaled(const std::vector<Vec2> &data, double factor)
{
    std::vector<Vec2> out;
    for (const Vec2 &y : data)
        out.push_back(factor * y);
    return out;
}

double dataScale(const std::vector<Vec2> &data)
{
    double s = 0.0;
    for (const Vec2 &y : data)
        s = std::max(s, y.cwiseAbs().maxCoeff());
    return s;
}

bool isMultiple(double v, double step)
{
    const double q = v / step;
    return std::abs(q - std::round(q)) < 1e-9;
}

} // namespace

void TestLandscapeRange::lectureRunKeepsTheLecturesSquare()
{
    // The lecture's 24 samples (max |y_i| just above 2) from w = (1, 1): 1.3 x 2.05 rounds up to 3 in steps of 0.5,
    // and the start is far inside, so the landscape shows the familiar [0, 3]^2 with the valley at (2, 1.5).
    const std::vector<Vec2> data = ellipseSamples(DatasetSpec{});
    QVERIFY(dataScale(data) > 1.95 && dataScale(data) < 2.3);
    QCOMPARE(landscapeRange(data, {{1.0, 1.0}}), (WRange{0.0, 3.0}));
    // A converged path stays in it.
    QCOMPARE(landscapeRange(data, {{1.0, 1.0}, {1.6, 1.3}, {1.98, 1.5}}), (WRange{0.0, 3.0}));
}

void TestLandscapeRange::coversOriginDataAndPath_data()
{
    QTest::addColumn<double>("dataFactor");
    QTest::addColumn<double>("w1");
    QTest::addColumn<double>("w2");
    QTest::newRow("lecture data, far start") << 1.0 << 5.0 << 0.5;
    QTest::newRow("data three times larger") << 3.0 << 1.0 << 1.0;
    QTest::newRow("tiny data") << 0.1 << 1.0 << 1.0;
    QTest::newRow("negative w") << 1.0 << -2.5 << 1.0;
    QTest::newRow("overshooting path") << 1.0 << 40.0 << -12.0;
    QTest::newRow("no data") << 0.0 << 1.0 << 1.0;
}

void TestLandscapeRange::coversOriginDataAndPath()
{
    QFETCH(double, dataFactor);
    QFETCH(double, w1);
    QFETCH(double, w2);
    const std::vector<Vec2> data =
        dataFactor > 0.0 ? scaled(ellipseSamples(DatasetSpec{}), dataFactor) : std::vector<Vec2>{};
    const std::vector<EllipseParams> path{{1.0, 1.0}, {0.5 * (1.0 + w1), 0.5 * (1.0 + w2)}, {w1, w2}};
    const WRange r = landscapeRange(data, path);
    QVERIFY(r.lower < r.upper);
    QVERIFY(r.contains({0.0, 0.0}));
    QVERIFY(r.upper >= 1.3 * dataScale(data) - 1e-12);
    // Every path point at least 10% of the path's own extent inside the edges.
    double lo = 0.0, hi = 0.0;
    for (const EllipseParams &w : path) {
        lo = std::min({lo, w.w1, w.w2});
        hi = std::max({hi, w.w1, w.w2});
    }
    const double room = 0.1 * (hi - lo);
    for (const EllipseParams &w : path) {
        QVERIFY(r.contains(w));
        for (double v : {w.w1, w.w2})
            QVERIFY2(v - r.lower >= room && r.upper - v >= room,
                     qPrintable(QStringLiteral("%1 in [%2, %3]").arg(v).arg(r.lower).arg(r.upper)));
    }
    // The ends are round: multiples of a 1-2-5 step of at most a quarter of the width.
    const double width = r.upper - r.lower;
    bool round = false;
    for (double decade = 1e-3; decade < 1e3 && !round; decade *= 10.0) {
        for (double m : {1.0, 2.0, 5.0}) {
            const double step = m * decade;
            if (step <= width / 4.0 + 1e-12 && step >= width / 20.0 && isMultiple(r.lower, step) &&
                isMultiple(r.upper, step))
                round = true;
        }
    }
    QVERIFY2(round, qPrintable(QStringLiteral("[%1, %2]").arg(r.lower).arg(r.upper)));
    // Not needlessly large: the path and data span at least a third of it.
    QVERIFY(std::max(hi, 1.3 * dataScale(data)) - lo >= width / 3.0);
}

void TestLandscapeRange::ignoresNonFiniteW()
{
    const std::vector<Vec2> data = ellipseSamples(DatasetSpec{});
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QCOMPARE(landscapeRange(data, {{1.0, 1.0}, {inf, nan}}), landscapeRange(data, {{1.0, 1.0}}));
}

QTEST_APPLESS_MAIN(TestLandscapeRange)
#include "tst_landscaperange.moc"
