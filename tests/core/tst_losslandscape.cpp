// The loss landscape L(w1, w2) is the trainer's own loss at every grid point, and its valley is the minimiser.
#include "math/dataset.h"
#include "math/losslandscape.h"

#include "fuzzycompare.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace ebm;

Q_DECLARE_METATYPE(ebm::LossKind)

class TestLossLandscape : public QObject
{
    Q_OBJECT

private slots:
    void valuesAreTheTrainersLoss();
    void cancelledBeforeStart();
    void fastPathMatchesTheReference_data();
    void fastPathMatchesTheReference();
};

void TestLossLandscape::valuesAreTheTrainersLoss()
{
    const std::vector<Vec2> data = ellipseSamples(DatasetSpec{});
    TrainingConfig config; // zero-temperature energy loss, 48 latents
    const LossLandscape l = lossLandscape(data, config, 0.0, 3.0, 31);
    QVERIFY(!l.cancelled);
    QCOMPARE(l.nx, 31);
    QCOMPARE(int(l.values.size()), 31 * 31);
    const TrainingRun run(data, config);
    for (int j = 0; j < 31; j += 6) {
        for (int i = 0; i < 31; i += 5) {
            const EllipseParams w{i * 0.1, j * 0.1};
            QCOMPARE(l.values[size_t(j * 31 + i)], run.evaluate(w, 0)->value);
        }
    }
    // The lowest cell lies next to the generating w = (2, 1.5) (grid step 0.1).
    const auto lowest = size_t(std::min_element(l.values.begin(), l.values.end()) - l.values.begin());
    QVERIFY(std::abs(int(lowest % 31) * 0.1 - 2.0) <= 0.1 + 1e-12);
    QVERIFY(std::abs(int(lowest / 31) * 0.1 - 1.5) <= 0.1 + 1e-12);
}

void TestLossLandscape::cancelledBeforeStart()
{
    const std::atomic<bool> cancel{true};
    const LossLandscape l = lossLandscape(ellipseSamples(DatasetSpec{}), TrainingConfig{}, 0.0, 3.0, 11, &cancel);
    QVERIFY(l.cancelled);
}

void TestLossLandscape::fastPathMatchesTheReference_data()
{
    QTest::addColumn<LossKind>("kind");
    QTest::addColumn<double>("beta");
    QTest::addColumn<int>("strategy");
    QTest::addColumn<int>("count");
    for (LossKind kind :
         {LossKind::Energy, LossKind::Hinge, LossKind::Log, LossKind::Simple, LossKind::SquareSquare, LossKind::Nll}) {
        for (double beta : {1e-3, 1.0, 1e3, kInfiniteBeta})
            QTest::addRow("%s beta=%g", lossKindName(kind).c_str(), beta) << kind << beta << 1 << 48;
    }
    QTest::addRow("hinge noise, 2 negatives") << LossKind::Hinge << 1.0 << 1 << 48;
    QTest::addRow("hinge offending (per cell)") << LossKind::Hinge << 1.0 << 2 << 48;
    QTest::addRow("energy N=7") << LossKind::Energy << 3.0 << 0 << 7;
    QTest::addRow("nll continuous (per cell)") << LossKind::Nll << 1.0 << 0 << 0;
}

void TestLossLandscape::fastPathMatchesTheReference()
{
    // The split product (sampled latents, w-independent negatives) and the threaded per-cell path against the
    // reference functions of losses.h, cell by cell, on a grid that is no multiple of any block or vector width.
    QFETCH(LossKind, kind);
    QFETCH(double, beta);
    QFETCH(int, strategy);
    QFETCH(int, count);
    const std::vector<Vec2> data = ellipseSamples(DatasetSpec{});
    TrainingConfig config;
    config.loss.kind = kind;
    config.loss.beta = beta;
    config.loss.candidatesX = 7;
    config.loss.candidatesY = 6;
    config.negatives.strategy = static_cast<NegativeStrategy>(strategy);
    config.negatives.count = QByteArray(QTest::currentDataTag()).contains("2 negatives") ? 2 : 1;
    config.latents = count ? LatentSpec::sampled(count) : LatentSpec::continuous();
    const int cells = count ? 13 : 4;
    const LossLandscape fast = lossLandscape(data, config, -0.5, 3.1, cells, nullptr, 2);
    const LossLandscape reference =
        lossLandscape(data, config, -0.5, 3.1, cells, nullptr, 1, EvaluationPath::Reference);
    QVERIFY(!fast.cancelled && !reference.cancelled);
    QCOMPARE(fast.values.size(), reference.values.size());
    for (size_t c = 0; c < fast.values.size(); ++c)
        EBM_COMPARE_REL(fast.values[c], reference.values[c], 1e-9, 1e-6); // 1e-15 floor where L cancels to ~0
}

QTEST_APPLESS_MAIN(TestLossLandscape)
#include "tst_losslandscape.moc"
