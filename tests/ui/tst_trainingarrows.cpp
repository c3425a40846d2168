// The training arrows: a pull per data point and a push per negative, at most kMaxArrowsEach of each, spread over
// the whole set (a long run with 64 negatives per point must not draw thousands of arrows).
#include "trainingarrows.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

using namespace ebm;

class TestTrainingArrows : public QObject
{
    Q_OBJECT

private slots:
    void countsAndSpread_data();
    void countsAndSpread();
};

namespace {

std::vector<Vec2> ring(int n, double radius)
{
    std::vector<Vec2> points;
    for (int i = 0; i < n; ++i) {
        const double t = 2.0 * M_PI * i / std::max(n, 1);
        points.emplace_back(radius * std::cos(t), 0.7 * radius * std::sin(t) + 0.001 * i);
    }
    return points;
}

} // namespace

void TestTrainingArrows::countsAndSpread_data()
{
    QTest::addColumn<int>("data");
    QTest::addColumn<int>("negatives");
    QTest::addColumn<double>("beta");
    QTest::newRow("none") << 0 << 0 << 1.0;
    QTest::newRow("lecture, no negatives") << 50 << 0 << 1.0;
    QTest::newRow("at the cap") << int(kMaxArrowsEach) << int(kMaxArrowsEach) << 5.0;
    QTest::newRow("one over the cap") << int(kMaxArrowsEach) + 1 << int(kMaxArrowsEach) + 1 << 5.0;
    QTest::newRow("64 negatives for 50 points") << 50 << 3200 << 1.0;
    QTest::newRow("a large file") << 10000 << 0 << std::numeric_limits<double>::infinity();
}

void TestTrainingArrows::countsAndSpread()
{
    QFETCH(int, data);
    QFETCH(int, negatives);
    QFETCH(double, beta);
    const EllipseEbm model(EllipseParams{1.6, 0.9}, LatentSpec::sampled(48));
    const std::vector<Vec2> points = ring(data, 1.3), fakes = ring(negatives, 2.1);
    const TrainingArrows arrows = trainingArrows(model, beta, points, fakes);

    QCOMPARE(arrows.pulls.size(), std::min<std::size_t>(points.size(), kMaxArrowsEach));
    QCOMPARE(arrows.pushes.size(), std::min<std::size_t>(fakes.size(), kMaxArrowsEach));

    // Each pull ends on a distinct data point and starts where the model infers it; the first and the last
    // drawn lie at the two ends of the set, so a cap thins the whole set rather than cutting its tail.
    std::set<std::pair<double, double>> ends;
    for (const PlaneArrow &pull : arrows.pulls) {
        QVERIFY((pull.from - model.infer(pull.to, beta).posteriorMean).norm() < 1e-12);
        ends.insert({pull.to.x(), pull.to.y()});
    }
    QCOMPARE(ends.size(), arrows.pulls.size());
    if (!points.empty()) {
        QCOMPARE(arrows.pulls.front().to, points.front());
        const auto last = std::find(points.begin(), points.end(), arrows.pulls.back().to) - points.begin();
        QVERIFY(std::size_t(last) + points.size() / kMaxArrowsEach + 1 >= points.size());
    }
    // A push points away from its negative: from ȳ(ŷ), 0.35 (ȳ − ŷ) further.
    for (const PlaneArrow &push : arrows.pushes) {
        const Vec2 away = (push.to - push.from) / 0.35;
        const Vec2 negative = push.from - away;
        bool found = false;
        for (const Vec2 &f : fakes)
            found = found || (f - negative).norm() < 1e-9;
        QVERIFY(found);
    }
}

QTEST_APPLESS_MAIN(TestTrainingArrows)
#include "tst_trainingarrows.moc"
