// Undo and redo of the lab state through the real window: Ctrl+Z takes a change back, a drag is one step.
#include "mainwindow.h"
#include "observationplane.h"
#include "parameterpanel.h"
#include "statecommand.h"

#include <QDoubleSpinBox>
#include <QTest>
#include <QUndoStack>

using namespace ebm;

class TestStateCommand : public QObject
{
    Q_OBJECT

private slots:
    void kindOfAChange_data();
    void kindOfAChange();
    void undoRedoThroughShortcuts();
    void aDragIsOneUndoStep();
};

void TestStateCommand::kindOfAChange_data()
{
    QTest::addColumn<int>("what");
    QTest::addColumn<int>("kind");
    QTest::newRow("observation") << 0 << int(StateCommand::Observation);
    QTest::newRow("beta") << 1 << int(StateCommand::Temperature);
    QTest::newRow("section") << 2 << int(StateCommand::Section);
    QTest::newRow("w1") << 3 << int(StateCommand::Other);
    QTest::newRow("beta and observation") << 4 << int(StateCommand::Other);
}

void TestStateCommand::kindOfAChange()
{
    QFETCH(int, what);
    QFETCH(int, kind);
    const LabState before;
    LabState after = before;
    if (what == 0 || what == 4)
        after.observation = Vec2(0.1, 0.2);
    if (what == 1 || what == 4)
        after.beta = 5.0;
    if (what == 2)
        after.sectionY1 = 1.0;
    if (what == 3)
        after.w.w1 = 1.0;
    QCOMPARE(int(StateCommand::kindOf(before, after)), kind);
}

void TestStateCommand::undoRedoThroughShortcuts()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const LabState start = window.state();
    window.parameterPanel()->w1Box()->setValue(1.25);
    window.parameterPanel()->betaBox()->setValue(4.0);
    QCOMPARE(window.state().w.w1, 1.25);
    QCOMPARE(window.state().beta, 4.0);
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(window.state().beta, start.beta);
    QCOMPARE(window.state().w.w1, 1.25);
    QCOMPARE(window.parameterPanel()->betaBox()->value(), start.beta); // the controls follow
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(window.state() == start);
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(window.state().w.w1, 1.25);
    QCOMPARE(window.state().beta, 4.0);
}

void TestStateCommand::aDragIsOneUndoStep()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.plane()->plot(); // laid out
    QTest::qWait(50);
    const Vec2 start = window.state().observation;
    const int steps = window.undoStack()->count();
    ObservationPlane *plane = window.plane();
    const QPoint from = plane->toPixels(start), to = plane->toPixels(Vec2(-1.0, -0.5));
    QWidget *plot = reinterpret_cast<QWidget *>(plane->plot());
    QTest::mousePress(plot, Qt::LeftButton, Qt::NoModifier, from);
    for (int i = 1; i <= 10; ++i)
        QTest::mouseMove(plot, from + (to - from) * i / 10);
    QTest::mouseRelease(plot, Qt::LeftButton, Qt::NoModifier, to);
    QVERIFY((window.state().observation - start).norm() > 1.0);
    QCOMPARE(window.undoStack()->count(), steps + 1); // ten moves, one step
    window.undoStack()->undo();
    QCOMPARE(window.state().observation, start);
    QCOMPARE(plane->observation(), start);
}

QTEST_MAIN(TestStateCommand)
#include "tst_statecommand.moc"
