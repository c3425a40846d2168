// Two runs advanced together: the same data and start, exactly one epoch per step on each, the slower sets the pace,
// and a reset reproduces both traces bit for bit.
#include "engine/locksteptraining.h"
#include "math/dataset.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <cstdlib>

using namespace ebm;

class TestLockstepTraining : public QObject
{
    Q_OBJECT

private slots:
    void sameDataAndStart();
    void stepAdvancesEachByOne();
    void playKeepsLockstep_data();
    void playKeepsLockstep();
    void finiteSpeedPacesBoth();
    void resetReproducesTraces();
    void configChangeRestartsBoth();
    void divergedSideDoesNotHoldTheOtherBack();

private:
    static std::vector<Vec2> data() { return ellipseSamples(DatasetSpec{}); }
    static TrainingConfig energy(double beta)
    {
        TrainingConfig c;
        c.loss.kind = LossKind::Energy;
        c.loss.beta = beta;
        return c;
    }
    static void load(LockstepTraining &lockstep, const TrainingConfig &a, const TrainingConfig &b)
    {
        lockstep.load(data(), LatentSpec::sampled(48), EllipseParams{1.0, 1.0}, {a, b});
        QTRY_COMPARE_WITH_TIMEOUT(lockstep.commonEpoch(), 0, 10000);
    }
    //! The trainer's own trace for side \a side's configuration, \a epochs steps.
    static std::vector<TracePoint> reference(const LockstepTraining &lockstep, int side, int epochs)
    {
        TrainingRun run(lockstep.data(), lockstep.config(side));
        run.run(epochs);
        return run.trace();
    }
};

void TestLockstepTraining::sameDataAndStart()
{
    LockstepTraining lockstep;
    TrainingConfig hot = energy(0.5);
    hot.init = {3.0, 0.2}; // ignored: both start from the one start
    hot.latents = LatentSpec::continuous();
    load(lockstep, energy(kInfiniteBeta), hot);
    for (int side = 0; side < 2; ++side) {
        QCOMPARE(lockstep.config(side).init, (EllipseParams{1.0, 1.0}));
        QCOMPARE(lockstep.config(side).latents, LatentSpec::sampled(48));
        QCOMPARE(lockstep.trace(side).size(), size_t(1));
        QCOMPARE(lockstep.trace(side)[0].w, (EllipseParams{1.0, 1.0}));
    }
    QCOMPARE(lockstep.config(1).loss.beta, 0.5);
    QCOMPARE(lockstep.data(), data());
}

void TestLockstepTraining::stepAdvancesEachByOne()
{
    LockstepTraining lockstep;
    load(lockstep, energy(kInfiniteBeta), energy(0.5));
    for (int k = 1; k <= 4; ++k) {
        lockstep.step();
        QTRY_COMPARE_WITH_TIMEOUT(lockstep.commonEpoch(), k, 10000);
        QTest::qWait(30); // nothing more arrives
        for (int side = 0; side < 2; ++side)
            QCOMPARE(lockstep.trace(side).size(), size_t(k + 1));
    }
    for (int side = 0; side < 2; ++side)
        QCOMPARE(lockstep.trace(side), reference(lockstep, side, 4));
    // The two runs differ: zero temperature chases the data, marginalised training does not.
    QVERIFY(lockstep.trace(0).back().w.w1 > lockstep.trace(1).back().w.w1);
}

void TestLockstepTraining::playKeepsLockstep_data()
{
    QTest::addColumn<int>("slowSide");
    QTest::newRow("slow right") << 1;
    QTest::newRow("slow left") << 0;
}

void TestLockstepTraining::playKeepsLockstep()
{
    QFETCH(int, slowSide);
    LockstepTraining lockstep;
    // NLL sums over a 21 x 21 candidate grid: many times the energy loss's cost per epoch.
    TrainingConfig slow = energy(1.0);
    slow.loss.kind = LossKind::Nll;
    slow.learningRate = 0.02;
    std::array<TrainingConfig, 2> configs{energy(kInfiniteBeta), energy(kInfiniteBeta)};
    configs[size_t(slowSide)] = slow;
    load(lockstep, configs[0], configs[1]);
    lockstep.setSpeed(0.0); // as fast as the slower computes
    int worstGap = 0, worstAhead = 0;
    auto check = [&] {
        const int a = int(lockstep.trace(0).size()), b = int(lockstep.trace(1).size());
        worstGap = std::max(worstGap, std::abs(a - b));
        worstAhead = std::max(worstAhead, lockstep.targetEpoch() - lockstep.commonEpoch());
    };
    for (int side = 0; side < 2; ++side)
        connect(lockstep.worker(side), &TrainingWorker::progress, this, check);
    QSignalSpy advanced(&lockstep, &LockstepTraining::advanced);
    lockstep.play();
    QVERIFY(lockstep.isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(lockstep.commonEpoch() >= 30, 20000);
    lockstep.pause();
    QVERIFY(!lockstep.isPlaying());
    // The epochs in flight complete; then both have the same epochs.
    QTRY_COMPARE_WITH_TIMEOUT(lockstep.commonEpoch(), lockstep.targetEpoch(), 10000);
    QCOMPARE(lockstep.trace(0).size(), lockstep.trace(1).size());
    QVERIFY2(worstGap <= LockstepTraining::kLookahead, qPrintable(QString::number(worstGap)));
    QVERIFY(worstAhead <= LockstepTraining::kLookahead);
    // advanced() reported each common epoch once, in order.
    for (int i = 1; i < advanced.size(); ++i)
        QCOMPARE(advanced[i].at(0).toInt(), advanced[i - 1].at(0).toInt() + 1);
    const int epochs = lockstep.commonEpoch();
    for (int side = 0; side < 2; ++side)
        QCOMPARE(lockstep.trace(side), reference(lockstep, side, epochs));
}

void TestLockstepTraining::finiteSpeedPacesBoth()
{
    LockstepTraining lockstep;
    load(lockstep, energy(kInfiniteBeta), energy(0.5));
    lockstep.setSpeed(40.0);
    lockstep.setEpochLimit(12);
    QElapsedTimer clock;
    clock.start();
    QSignalSpy playing(&lockstep, &LockstepTraining::playingChanged);
    lockstep.play();
    QTRY_VERIFY_WITH_TIMEOUT(!lockstep.isPlaying(), 10000);
    // 12 epochs at 40 per second take at least 11 beats of 25 ms; it stops exactly at the limit on both.
    QVERIFY2(clock.elapsed() >= 11 * 25 - 5, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(lockstep.commonEpoch(), 12);
    QTest::qWait(50);
    QCOMPARE(lockstep.trace(0).size(), size_t(13));
    QCOMPARE(lockstep.trace(1).size(), size_t(13));
    QCOMPARE(playing.size(), 2);
}

void TestLockstepTraining::resetReproducesTraces()
{
    LockstepTraining lockstep;
    TrainingConfig hinge = energy(kInfiniteBeta);
    hinge.loss.kind = LossKind::Hinge;
    hinge.negatives.strategy = NegativeStrategy::Offending;
    load(lockstep, hinge, energy(0.5));
    lockstep.setSpeed(0.0);
    lockstep.setEpochLimit(8);
    lockstep.play();
    QTRY_VERIFY_WITH_TIMEOUT(!lockstep.isPlaying() && lockstep.commonEpoch() == 8, 10000);
    const std::vector<TracePoint> a = lockstep.trace(0), b = lockstep.trace(1);
    QVERIFY(!lockstep.pairs(0, 8).empty()); // the hinge's negatives at the last epoch
    QSignalSpy restarted(&lockstep, &LockstepTraining::restarted);
    lockstep.reset();
    QCOMPARE(restarted.size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(lockstep.commonEpoch(), 0, 10000);
    QCOMPARE(lockstep.trace(0).front().w, (EllipseParams{1.0, 1.0}));
    for (int k = 0; k < 8; ++k)
        lockstep.step();
    QTRY_COMPARE_WITH_TIMEOUT(lockstep.commonEpoch(), 8, 10000);
    QCOMPARE(lockstep.trace(0), a);
    QCOMPARE(lockstep.trace(1), b);
    QCOMPARE(a, reference(lockstep, 0, 8));
}

void TestLockstepTraining::configChangeRestartsBoth()
{
    LockstepTraining lockstep;
    load(lockstep, energy(kInfiniteBeta), energy(0.5));
    for (int k = 0; k < 3; ++k)
        lockstep.step();
    QTRY_COMPARE_WITH_TIMEOUT(lockstep.commonEpoch(), 3, 10000);
    TrainingConfig log = energy(kInfiniteBeta);
    log.loss.kind = LossKind::Log;
    log.init = {2.5, 2.5}; // the start stays the shared one
    lockstep.setConfig(1, log);
    QTRY_VERIFY_WITH_TIMEOUT(lockstep.trace(0).size() == 1 && lockstep.trace(1).size() == 1, 10000);
    QCOMPARE(lockstep.config(1).loss.kind, LossKind::Log);
    QCOMPARE(lockstep.config(1).init, (EllipseParams{1.0, 1.0}));
    lockstep.step();
    QTRY_COMPARE_WITH_TIMEOUT(lockstep.commonEpoch(), 1, 10000);
    QCOMPARE(lockstep.trace(1), reference(lockstep, 1, 1));
    QCOMPARE(lockstep.trace(0), reference(lockstep, 0, 1));
}

void TestLockstepTraining::divergedSideDoesNotHoldTheOtherBack()
{
    LockstepTraining lockstep;
    TrainingConfig wild = energy(kInfiniteBeta);
    wild.learningRate = 5.0; // |w - w*| grows about 4x per epoch: beyond 1e6 within a dozen epochs
    load(lockstep, energy(kInfiniteBeta), wild);
    lockstep.setSpeed(0.0);
    lockstep.setEpochLimit(40);
    QSignalSpy messages(&lockstep, &LockstepTraining::message);
    lockstep.play();
    QTRY_VERIFY_WITH_TIMEOUT(!lockstep.isPlaying(), 20000);
    QVERIFY(lockstep.diverged(1));
    QVERIFY(!lockstep.diverged(0));
    QCOMPARE(lockstep.commonEpoch(), 40);
    QCOMPARE(lockstep.trace(0).size(), size_t(41));
    QVERIFY(lockstep.trace(1).size() < 41);
    QVERIFY(!messages.isEmpty());
}

QTEST_MAIN(TestLockstepTraining)
#include "tst_locksteptraining.moc"
