// Training in the real window: the plane follows w and shows each data point's pull and the negatives' push.
#include "mainwindow.h"
#include "observationplane.h"
#include "trainingpanel.h"

#include <QComboBox>
#include <QPushButton>
#include <QTest>

using namespace ebm;

class TestTrainingOverlay : public QObject
{
    Q_OBJECT

private slots:
    void stepsMoveThePlaneAndDrawPulls_data();
    void stepsMoveThePlaneAndDrawPulls();
};

void TestTrainingOverlay::stepsMoveThePlaneAndDrawPulls_data()
{
    QTest::addColumn<QString>("loss");
    QTest::addColumn<bool>("negatives");
    QTest::newRow("energy, zero temperature") << "energy" << false;
    QTest::newRow("hinge") << "hinge" << true;
}

void TestTrainingOverlay::stepsMoveThePlaneAndDrawPulls()
{
    QFETCH(QString, loss);
    QFETCH(bool, negatives);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    TrainingPanel *panel = window.trainingPanel();
    auto *lossBox = panel->findChild<QComboBox *>(QStringLiteral("loss"));
    auto *step = panel->findChild<QPushButton *>(QStringLiteral("step"));
    QVERIFY(lossBox && step);
    for (int i = 0; i < lossBox->count(); ++i) {
        if (lossBox->itemText(i).startsWith(loss, Qt::CaseInsensitive))
            lossBox->setCurrentIndex(i);
    }
    QVERIFY(window.state().w == EllipseParams{}); // setting up the run leaves the lecture's model on the plane
    for (int i = 0; i < 3; ++i)
        step->click();
    QTRY_VERIFY_WITH_TIMEOUT(panel->epochCount() == 4, 10000);
    // The plane shows the run's w (epoch 3 from the lecture's start (1, 1)), with one pull per data point.
    QTRY_VERIFY_WITH_TIMEOUT(window.state().w == panel->trace().back().w, 10000);
    QVERIFY(window.state().w.w1 > 1.0 && window.state().w.w1 < 2.0);
    const int data = static_cast<int>(window.data().size());
    QTRY_VERIFY_WITH_TIMEOUT(window.plane()->trainingArrowCount() >= data, 10000);
    if (negatives)
        QTRY_VERIFY_WITH_TIMEOUT(window.plane()->trainingArrowCount() > data, 10000);
    else
        QCOMPARE(window.plane()->trainingArrowCount(), data);
    const QString dir = qEnvironmentVariable("EBM_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QTest::qWait(300);
        QVERIFY(window.plane()->grab().save(QStringLiteral("%1/training_%2.png").arg(dir, loss)));
    }
}

QTEST_MAIN(TestTrainingOverlay)
#include "tst_trainingoverlay.moc"
