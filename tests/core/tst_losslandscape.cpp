// The loss landscape L(w1, w2) is the trainer's own loss at every grid point, and its valley is the minimiser.
#include "math/dataset.h"
#include "math/losslandscape.h"

#include <QTest>

#include <algorithm>

using namespace ebm;

class TestLossLandscape : public QObject
{
    Q_OBJECT

private slots:
    void valuesAreTheTrainersLoss();
    void cancelledBeforeStart();
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

QTEST_APPLESS_MAIN(TestLossLandscape)
#include "tst_losslandscape.moc"
