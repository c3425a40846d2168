// The training losses' fast path (FastLoss) against the reference functions of losses.h, which stay the oracle:
// F and dF/dw per point, the NLL's factorised partition over the candidate grid (also against central finite
// differences and a forced-underflow case), whole dataset losses, and trainer traces by both paths.
#include "math/fastloss.h"
#include "math/trainer.h"

#include "fuzzycompare.h"
#include "math/rng.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace ebm;

Q_DECLARE_METATYPE(ebm::LossKind)

namespace {

constexpr double kRel = 1e-9; // MODEL.md §5: a fast path agrees with the reference to 1e-9 relative

const std::vector<double> kBetas = {1e-6, 1e-3, 1.0, 1e3, 1e6, kInfiniteBeta};

// Random w with zeros and negative values among them.
EllipseParams randomW(Rng &rng, int i)
{
    switch (i % 5) {
    case 0:
        return {0.0, 0.0};
    case 1:
        return {0.0, 3.0 * rng.uniform() - 1.5};
    case 2:
        return {-2.5 * rng.uniform(), 0.0};
    default:
        return {4.0 * rng.uniform() - 2.0, 4.0 * rng.uniform() - 2.0};
    }
}

// Points on and near the manifold, inside the view and far outside it.
Vec2 randomY(Rng &rng, int i)
{
    const double scale = i % 3 == 0 ? 1e3 : (i % 3 == 1 ? 30.0 : 3.0);
    return {scale * (2.0 * rng.uniform() - 1.0), scale * (2.0 * rng.uniform() - 1.0)};
}

// dF/dw is a posterior mean of grad_w E = (-2 (y1 - w1 cos z) cos z, ...), whose terms are bounded by
// 2 (|y| + |w|): the rounding of both paths is relative to that, even where the terms cancel to ~0.
double gradientScale(double yMax, const EllipseParams &w)
{
    return 2.0 * (yMax + std::abs(w.w1) + std::abs(w.w2));
}

double viewMax(const ViewBox &v)
{
    return std::max({std::abs(v.x0), std::abs(v.x1), std::abs(v.y0), std::abs(v.y1)});
}

// F is eMin plus an offset: both paths round at the energies' scale (|y| + |w|)^2, which matters only where F
// itself cancels to ~0; the floor is 1e-15 of that scale (a few ulps).
double valueScale(double yMax, const EllipseParams &w)
{
    const double r = yMax + std::abs(w.w1) + std::abs(w.w2);
    return 1e-6 * r * r;
}

void compareVec(const Vec2 &actual, const Vec2 &expected, double rel, double scale)
{
    EBM_COMPARE_REL(actual.x(), expected.x(), rel, scale);
    EBM_COMPARE_REL(actual.y(), expected.y(), rel, scale);
}

LogPartition referencePartition(const EllipseParams &w, const LatentSpec &latents, const LossConfig &config)
{
    const EllipseEbm model(w, latents);
    std::vector<FreeEnergyAt> candidates;
    for (const Vec2 &y : nllCandidates(config))
        candidates.push_back(freeEnergyAt(model, y, config.beta));
    return logPartition(candidates, config.beta);
}

} // namespace

class TestFastLoss : public QObject
{
    Q_OBJECT

private slots:
    void freeEnergyMatchesTheReference_data();
    void freeEnergyMatchesTheReference();
    void gridPartitionMatchesTheReference_data();
    void gridPartitionMatchesTheReference();
    void gridPartitionGradientMatchesFiniteDifferences();
    void gridPartitionSurvivesUnderflow();
    void datasetLossMatchesTheReference_data();
    void datasetLossMatchesTheReference();
    void trainerTracesAgree_data();
    void trainerTracesAgree();
};

void TestFastLoss::freeEnergyMatchesTheReference_data()
{
    QTest::addColumn<int>("count");
    for (int count : {1, 7, 48, 101})
        QTest::addRow("N=%d", count) << count;
}

void TestFastLoss::freeEnergyMatchesTheReference()
{
    QFETCH(int, count);
    const LatentSpec latents = LatentSpec::sampled(count);
    const FastLoss fast(latents);
    Rng rng(17 + static_cast<std::uint64_t>(count));
    for (int i = 0; i < 60; ++i) {
        const EllipseParams w = randomW(rng, i);
        const Vec2 y = randomY(rng, i);
        for (double beta : kBetas) {
            const FreeEnergyAt expected = freeEnergyAt(EllipseEbm(w, latents), y, beta);
            const FreeEnergyAt actual = fast.freeEnergyAt(w, y, beta);
            EBM_COMPARE_REL(actual.value, expected.value, kRel, valueScale(y.cwiseAbs().maxCoeff(), w));
            compareVec(actual.gradW, expected.gradW, kRel, gradientScale(y.cwiseAbs().maxCoeff(), w));
            QCOMPARE(fast.freeEnergy(w, y, beta), actual.value);
        }
    }
}

void TestFastLoss::gridPartitionMatchesTheReference_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("nx");
    QTest::addColumn<int>("ny");
    for (int count : {1, 5, 48}) {
        for (auto [nx, ny] : {std::pair{1, 1}, {5, 4}, {1, 7}, {21, 21}, {33, 17}})
            QTest::addRow("N=%d %dx%d", count, nx, ny) << count << nx << ny;
    }
}

void TestFastLoss::gridPartitionMatchesTheReference()
{
    QFETCH(int, count);
    QFETCH(int, nx);
    QFETCH(int, ny);
    const LatentSpec latents = LatentSpec::sampled(count);
    const FastLoss fast(latents);
    Rng rng(99 + static_cast<std::uint64_t>(count * 1000 + nx * 10 + ny));
    for (int i = 0; i < 12; ++i) {
        LossConfig config;
        config.kind = LossKind::Nll;
        config.candidatesX = nx;
        config.candidatesY = ny;
        if (i % 4 == 3) // a view far from the manifold
            config.view = {40.0, 47.0, -90.0, -80.0};
        const EllipseParams w = randomW(rng, i);
        for (double beta : kBetas) {
            config.beta = beta;
            const LogPartition expected = referencePartition(w, latents, config);
            const LogPartition actual = fast.gridLogPartition(w, config);
            EBM_COMPARE_REL(actual.value, expected.value, kRel, valueScale(viewMax(config.view), w));
            compareVec(actual.gradW, expected.gradW, kRel, gradientScale(viewMax(config.view), w));
        }
    }
}

void TestFastLoss::gridPartitionGradientMatchesFiniteDifferences()
{
    // dA/dw of the factorised form, independently of the reference: central differences of its own value.
    const FastLoss fast(LatentSpec::sampled(48));
    LossConfig config;
    config.kind = LossKind::Nll;
    config.candidatesX = 9;
    config.candidatesY = 7;
    constexpr double h = 1e-5;
    for (double beta : {0.3, 1.0, 4.0}) {
        config.beta = beta;
        for (const EllipseParams &w : {EllipseParams{1.7, 0.9}, EllipseParams{-0.4, 2.2}}) {
            auto a = [&](double w1, double w2) { return fast.gridLogPartition({w1, w2}, config).value; };
            const Vec2 g = fast.gridLogPartition(w, config).gradW;
            const double scale = 1.0 + g.norm();
            EBM_COMPARE_REL(g.x(), (a(w.w1 + h, w.w2) - a(w.w1 - h, w.w2)) / (2 * h), 1e-6, scale);
            EBM_COMPARE_REL(g.y(), (a(w.w1, w.w2 + h) - a(w.w1, w.w2 - h)) / (2 * h), 1e-6, scale);
        }
    }
}

void TestFastLoss::gridPartitionSurvivesUnderflow()
{
    // Without the shifts every exp(-beta u) here is exp(-1e3 * 2500) = 0 and the log of the sum is -inf. The
    // exact answer is known: near the view's nearest corner the energy is dominated by the one closest candidate.
    const LatentSpec latents = LatentSpec::sampled(48);
    const FastLoss fast(latents);
    LossConfig config;
    config.kind = LossKind::Nll;
    config.view = {50.0, 60.0, 50.0, 60.0};
    config.beta = 1e3;
    const EllipseParams w{2.0, 1.5};
    const LogPartition actual = fast.gridLogPartition(w, config);
    QVERIFY(std::isfinite(actual.value) && std::isfinite(actual.gradW.x()) && std::isfinite(actual.gradW.y()));
    const LogPartition expected = referencePartition(w, latents, config);
    EBM_COMPARE_REL(actual.value, expected.value, kRel, 0.0);
    compareVec(actual.gradW, expected.gradW, kRel, gradientScale(viewMax(config.view), w));
    // -min F over the grid: the corner (50, 50) and z near pi/4 (within log(N)/beta of the sampled minimum).
    config.beta = kInfiniteBeta;
    const double coldLimit = fast.gridLogPartition(w, config).value;
    QVERIFY(actual.value <= coldLimit + 1e-12 && actual.value >= coldLimit - std::log(48.0) / 1e3 - 1e-9);
}

void TestFastLoss::datasetLossMatchesTheReference_data()
{
    QTest::addColumn<LossKind>("kind");
    QTest::addColumn<int>("count");
    for (LossKind kind :
         {LossKind::Energy, LossKind::Hinge, LossKind::Log, LossKind::Simple, LossKind::SquareSquare, LossKind::Nll}) {
        for (int count : {48, 0})
            QTest::addRow("%s N=%d", lossKindName(kind).c_str(), count) << kind << count;
    }
}

void TestFastLoss::datasetLossMatchesTheReference()
{
    QFETCH(LossKind, kind);
    QFETCH(int, count);
    const LatentSpec latents = count ? LatentSpec::sampled(count) : LatentSpec::continuous();
    const FastLoss fast(latents);
    Rng rng(5);
    std::vector<Vec2> data;
    std::vector<std::vector<Vec2>> negatives;
    double yMax = 3.0; // the view's
    for (int i = 0; i < 9; ++i) {
        data.push_back(randomY(rng, 2)); // inside the view
        negatives.push_back({randomY(rng, 2), randomY(rng, i)});
        yMax = std::max({yMax, negatives.back()[1].cwiseAbs().maxCoeff()});
    }
    LossConfig config;
    config.kind = kind;
    config.candidatesX = 6;
    config.candidatesY = 5;
    const std::vector<double> betas = count ? kBetas : std::vector<double>{1e-3, 1.0, 30.0, kInfiniteBeta};
    for (int i = 0; i < 4; ++i) {
        const EllipseParams w = randomW(rng, i + 1);
        for (double beta : betas) {
            config.beta = beta;
            const DatasetLoss expected = *datasetLoss(EllipseEbm(w, latents), config, data, negatives);
            const DatasetLoss actual = *fast.datasetLoss(w, config, data, negatives);
            EBM_COMPARE_REL(actual.value, expected.value, kRel, valueScale(yMax, w));
            compareVec(actual.gradW, expected.gradW, kRel, gradientScale(yMax, w));
            QCOMPARE(actual.pairs.size(), expected.pairs.size());
            for (size_t p = 0; p < actual.pairs.size(); ++p) {
                QCOMPARE(actual.pairs[p].negative, expected.pairs[p].negative);
                EBM_COMPARE_REL(actual.pairs[p].negativeEnergy, expected.pairs[p].negativeEnergy, kRel, 0.0);
            }
        }
    }
    std::atomic<bool> cancel{true};
    QVERIFY(!fast.datasetLoss({1.0, 1.0}, config, data, negatives, &cancel));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fast.datasetLoss({1.0, 1.0}, config, {}, {}));
}

void TestFastLoss::trainerTracesAgree_data()
{
    QTest::addColumn<LossKind>("kind");
    QTest::addColumn<double>("beta");
    QTest::addColumn<int>("strategy");
    for (LossKind kind :
         {LossKind::Energy, LossKind::Hinge, LossKind::Log, LossKind::Simple, LossKind::SquareSquare, LossKind::Nll}) {
        for (double beta : {1.0, kInfiniteBeta})
            QTest::addRow("%s beta=%g", lossKindName(kind).c_str(), beta) << kind << beta << 0;
    }
    QTest::addRow("hinge offending beta=1") << LossKind::Hinge << 1.0 << 2;
    QTest::addRow("log noise beta=inf") << LossKind::Log << kInfiniteBeta << 1;
}

void TestFastLoss::trainerTracesAgree()
{
    // Twenty epochs by each path from the same start: the fast path drives the same descent.
    QFETCH(LossKind, kind);
    QFETCH(double, beta);
    QFETCH(int, strategy);
    TrainingConfig config;
    config.loss.kind = kind;
    config.loss.beta = beta;
    config.negatives.strategy = static_cast<NegativeStrategy>(strategy);
    config.learningRate = 0.02;
    Rng rng(11);
    std::vector<Vec2> data;
    for (int i = 0; i < 24; ++i)
        data.push_back(randomY(rng, 2));
    TrainingRun fast(data, config);
    TrainingRun reference(data, config, nullptr, EvaluationPath::Reference);
    QCOMPARE(fast.evaluationPath(), EvaluationPath::Fast);
    QCOMPARE(reference.evaluationPath(), EvaluationPath::Reference);
    QCOMPARE(fast.run(20), reference.run(20));
    for (size_t k = 0; k < fast.trace().size(); ++k) {
        const TracePoint &a = fast.trace()[k], &b = reference.trace()[k];
        EBM_COMPARE_REL(a.loss, b.loss, 1e-8, 0.0);
        EBM_COMPARE_REL(a.w.w1, b.w.w1, 1e-8, 1.0);
        EBM_COMPARE_REL(a.w.w2, b.w.w2, 1e-8, 1.0);
    }
}

QTEST_APPLESS_MAIN(TestFastLoss)
#include "tst_fastloss.moc"
