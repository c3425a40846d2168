// The real binary, started offscreen on the slowest field it can show (continuous latent, 800 cells, remembered from
// the last session), ends cleanly within a second of SIGTERM or SIGINT while its model thread computes: exit status
// 0, and the window's settings written (its close event ran) rather than the process killed.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

class TestAppSignals : public QObject
{
    Q_OBJECT

private slots:
    void closesCleanlyWhileComputing_data();
    void closesCleanlyWhileComputing();
};

namespace {

//! CPU time the process has used so far, in clock ticks (utime + stime of /proc/<pid>/stat); -1 if unreadable.
long long cpuTicks(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    // The fields after the command name (which may hold spaces) start after the last ')'.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 12 ? fields[11].toLongLong() + fields[12].toLongLong() : -1;
}

} // namespace

void TestAppSignals::closesCleanlyWhileComputing_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void TestAppSignals::closesCleanlyWhileComputing()
{
    QFETCH(int, signal);
    const QString binary = qEnvironmentVariable("EBMLAB_BINARY");
    if (binary.isEmpty())
        QSKIP("EBMLAB_BINARY is not set (ctest sets it)");
    QTemporaryDir config;
    const QString settingsPath = config.filePath(QStringLiteral("EBM Lab/EBM Lab.conf"));
    {
        QSettings settings(settingsPath, QSettings::IniFormat);
        settings.setValue(QStringLiteral("lab/continuousLatent"), true);
        settings.setValue(QStringLiteral("lab/resolution"), 800);
        settings.setValue(QStringLiteral("lab/beta"), 0.05);
    }
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
    app.setProcessEnvironment(env);
    app.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    app.start(binary, {});
    QVERIFY(app.waitForStarted(10000));

    // Computing: the process keeps using CPU (the continuous F_beta over 800 x 800 cells takes seconds).
    QTest::qWait(1500);
    const long long before = cpuTicks(app.processId());
    QTest::qWait(300);
    const long long after = cpuTicks(app.processId());
    qInfo("CPU ticks %lld -> %lld over 300 ms", before, after);
    QVERIFY2(after > before && app.state() == QProcess::Running, "the app is not computing");

    QElapsedTimer timer;
    timer.start();
    ::kill(pid_t(app.processId()), signal);
    QVERIFY(app.waitForFinished(5000));
    const qint64 ms = timer.elapsed();
    qInfo("exited %lld ms after the signal, status %d", ms, app.exitCode());
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.exitCode(), 0);
    QVERIFY2(ms < 1000, qPrintable(QString::number(ms)));
    QSettings saved(settingsPath, QSettings::IniFormat);
    QVERIFY(saved.contains(QStringLiteral("window/geometry"))); // the close event ran and saved the layout
    QCOMPARE(saved.value(QStringLiteral("lab/resolution")).toInt(), 800);
}

QTEST_MAIN(TestAppSignals)
#include "tst_appsignals.moc"
