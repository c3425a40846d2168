// The negative samples y_hat (seeded per epoch, reproducible, each strategy doing what it says) and the names
// the command line and the settings use for losses and strategies.
#include "math/losses.h"

#include "math/dataset.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace ebm;

class TestNegatives : public QObject
{
    Q_OBJECT

private slots:
    void negativesAreSeededAndReproducible();
    void negativesFollowTheirStrategy();
    void namesRoundTrip();
};

void TestNegatives::negativesAreSeededAndReproducible()
{
    const std::vector<Vec2> data = {{2.0, 0.0}, {0.0, 1.5}, {-2.0, 0.0}};
    const EllipseEbm model;
    for (NegativeStrategy strategy :
         {NegativeStrategy::Uniform, NegativeStrategy::Noise, NegativeStrategy::Offending}) {
        NegativeSpec spec;
        spec.strategy = strategy;
        spec.count = 3;
        spec.seed = 42;
        const auto a = drawNegatives(spec, {}, data, model, 1.0, 7);
        QCOMPARE(a.size(), data.size());
        for (const auto &perPoint : a)
            QCOMPARE(perPoint.size(), size_t(3));
        QVERIFY(a == drawNegatives(spec, {}, data, model, 1.0, 7)); // same seed and epoch: identical
        QVERIFY(a != drawNegatives(spec, {}, data, model, 1.0, 8)); // redrawn every epoch
        spec.seed = 43;
        QVERIFY(a != drawNegatives(spec, {}, data, model, 1.0, 7));
    }
}

void TestNegatives::negativesFollowTheirStrategy()
{
    const std::vector<Vec2> data = ellipseSamples(DatasetSpec{});
    const EllipseEbm model({1.5, 1.0}, LatentSpec::sampled(48));
    NegativeSpec spec;
    spec.count = 50;
    // Uniform: inside the view box.
    const ViewBox box{-1.0, 4.0, -2.0, 0.5};
    for (const auto &perPoint : drawNegatives(spec, box, data, model, 1.0, 0)) {
        for (const Vec2 &y : perPoint)
            QVERIFY(y.x() >= box.x0 && y.x() < box.x1 && y.y() >= box.y0 && y.y() < box.y1);
    }
    // Noise: offsets from the data point with mean 0 and standard deviation sigma. With n = 2400 offsets,
    // 5 standard errors are 5 sigma / sqrt(n) for the mean and 5 / sqrt(2 n) relative for the deviation.
    spec.strategy = NegativeStrategy::Noise;
    spec.noise = 0.3;
    double sum = 0.0, sumSq = 0.0;
    int n = 0;
    const auto noisy = drawNegatives(spec, box, data, model, 1.0, 0);
    for (size_t i = 0; i < data.size(); ++i) {
        for (const Vec2 &y : noisy[i]) {
            const Vec2 d = y - data[i];
            sum += d.x() + d.y();
            sumSq += d.squaredNorm();
            n += 2;
        }
    }
    QVERIFY(std::abs(sum / n) <= 5.0 * spec.noise / std::sqrt(n));
    QVERIFY(std::abs(std::sqrt(sumSq / n) / spec.noise - 1.0) <= 5.0 / std::sqrt(2.0 * n));
    // Offending with delta = 0 ranks K consecutive uniform draws of the same stream: the argmin of F among them.
    spec.count = 2;
    spec.candidates = 16;
    spec.minDistance = 0.0;
    spec.strategy = NegativeStrategy::Offending;
    const auto offending = drawNegatives(spec, box, data, model, 1.0, 3);
    NegativeSpec uniform = spec;
    uniform.strategy = NegativeStrategy::Uniform;
    uniform.count = spec.count * spec.candidates;
    const auto draws = drawNegatives(uniform, box, data, model, 1.0, 3);
    for (size_t i = 0; i < data.size(); ++i) {
        for (int c = 0; c < spec.count; ++c) {
            const auto first = draws[i].begin() + c * spec.candidates;
            const auto best = std::min_element(first, first + spec.candidates, [&](const Vec2 &a, const Vec2 &b) {
                return model.freeEnergy(a, 1.0) < model.freeEnergy(b, 1.0);
            });
            QVERIFY(offending[i][static_cast<size_t>(c)] == *best);
        }
    }
    // With delta > 0 every negative keeps its distance from every data point, and it offends more than uniform.
    spec.minDistance = 0.4;
    double fOffending = 0.0, fUniform = 0.0;
    const auto kept = drawNegatives(spec, {}, data, model, 1.0, 5);
    const auto plain = drawNegatives(NegativeSpec{}, {}, data, model, 1.0, 5);
    for (size_t i = 0; i < data.size(); ++i) {
        for (const Vec2 &y : kept[i]) {
            for (const Vec2 &p : data)
                QVERIFY((y - p).norm() >= 0.4);
            fOffending += model.freeEnergy(y, 1.0) / static_cast<double>(kept[i].size());
        }
        fUniform += model.freeEnergy(plain[i].front(), 1.0);
    }
    QVERIFY(fOffending < fUniform);
}

void TestNegatives::namesRoundTrip()
{
    for (LossKind kind :
         {LossKind::Energy, LossKind::Hinge, LossKind::Log, LossKind::Simple, LossKind::SquareSquare, LossKind::Nll})
        QCOMPARE(lossKindFromName(lossKindName(kind)), kind);
    QCOMPARE(lossKindName(LossKind::SquareSquare), std::string("square-square"));
    QVERIFY(!lossKindFromName("Hinge"));
    for (NegativeStrategy s : {NegativeStrategy::Uniform, NegativeStrategy::Noise, NegativeStrategy::Offending})
        QCOMPARE(negativeStrategyFromName(negativeStrategyName(s)), s);
    QVERIFY(!negativeStrategyFromName("random"));
}

QTEST_APPLESS_MAIN(TestNegatives)
#include "tst_negatives.moc"
