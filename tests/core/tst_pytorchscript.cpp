// The exported PyTorch script is valid Python, carries the figure's parameters and, where PyTorch is installed,
// recomputes the core's field to 1e-6.
#include "fuzzycompare.h"
#include "io/pytorchscript.h"
#include "math/dataset.h"
#include "math/field.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace ebm;

Q_DECLARE_METATYPE(ebm::PyTorchFigure)

namespace {

struct Run
{
    bool finished = false;
    int exitCode = -1;
    QByteArray out, err;
};

//! Debian's python3-torch lives in /usr/bin/python3's site-packages, not in a pyenv python3 that may come first.
QString findPython()
{
    if (QFileInfo(QStringLiteral("/usr/bin/python3")).isExecutable())
        return QStringLiteral("/usr/bin/python3");
    return QStandardPaths::findExecutable(QStringLiteral("python3"));
}

Run run(const QString &program, const QStringList &args)
{
    QProcess process;
    process.start(program, args);
    Run r;
    r.finished = process.waitForFinished(240000);
    if (!r.finished)
        process.kill();
    r.exitCode = process.exitCode();
    r.out = process.readAllStandardOutput();
    r.err = process.readAllStandardError();
    return r;
}

PyTorchFigure lectureFigure()
{
    PyTorchFigure f;
    f.nx = 41;
    f.ny = 37;
    for (const Vec2 &p : ellipseSamples(DatasetSpec{}))
        f.data.emplace_back(p.x(), p.y());
    f.caption = QStringLiteral("EBM Lab test · w = (2, 1.5) · N = 48");
    return f;
}

PyTorchFigure with(PyTorchFigure f, int latents, double beta, int field, double z = 0.0)
{
    f.latentCount = latents;
    f.beta = beta;
    f.field = field;
    f.z = z;
    return f;
}

} // namespace

class TestPyTorchScript : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void isValidPython_data() { figures(); }
    void isValidPython();
    void carriesTheParameters();
    void captionIsAnExactPythonString();
    void matchesTheCore_data() { figures(); }
    void matchesTheCore();
    void drawsTheFigure();

private:
    void figures();
    QString writeScript(const PyTorchFigure &figure, const QString &name);

    QTemporaryDir m_dir;
    QString m_python;
    bool m_hasTorch = false;
};

void TestPyTorchScript::figures()
{
    QTest::addColumn<PyTorchFigure>("figure");
    const PyTorchFigure lecture = lectureFigure();
    const double inf = kInfiniteBeta;
    PyTorchFigure offset = lecture; // no grid point on a symmetry axis, where beta = inf ties are decided by rounding
    offset.x0 = -2.95;
    offset.x1 = 3.05;
    offset.nx = 40;
    offset.y0 = -2.9;
    offset.y1 = 3.1;
    offset.ny = 33;
    PyTorchFigure odd = lecture;
    odd.w1 = 1.3;
    odd.w2 = -0.8;
    PyTorchFigure flat = lecture;
    flat.w1 = flat.w2 = 0.0;

    QTest::newRow("F beta=1 (lecture)") << with(lecture, 48, 1.0, 0);
    QTest::newRow("F beta=inf") << with(lecture, 48, inf, 0);
    QTest::newRow("F hot beta=1e-3") << with(lecture, 48, 1e-3, 0);
    QTest::newRow("F tiny beta=1e-6") << with(lecture, 48, 1e-6, 0);
    QTest::newRow("F cold beta=1e3") << with(lecture, 48, 1e3, 0);
    QTest::newRow("Finf N=7 odd w") << with(odd, 7, 1.0, 1);
    QTest::newRow("E z*=1 snapped") << with(lecture, 48, 1.0, 2, 1.0);
    QTest::newRow("E z*=-2 N=5") << with(odd, 5, 1.0, 2, -2.0);
    QTest::newRow("posterior beta=2") << with(lecture, 48, 2.0, 3, 0.5);
    QTest::newRow("posterior beta=inf") << with(offset, 48, inf, 3, 1.6);
    QTest::newRow("posterior beta=30 N=12") << with(odd, 12, 30.0, 3, 4.0);
    QTest::newRow("F N=1") << with(lecture, 1, 2.0, 0);
    QTest::newRow("F w=0") << with(flat, 12, 1.0, 0);
    QTest::newRow("continuous F beta=1") << with(lecture, 0, 1.0, 0);
    QTest::newRow("continuous F beta=50") << with(lecture, 0, 50.0, 0);
    QTest::newRow("continuous F beta=inf") << with(offset, 0, inf, 0);
    QTest::newRow("continuous Finf") << with(lecture, 0, 1.0, 1);
    QTest::newRow("continuous E z*=7") << with(lecture, 0, 1.0, 2, 7.0);
    QTest::newRow("continuous posterior beta=3") << with(lecture, 0, 3.0, 3, 2.0);
}

void TestPyTorchScript::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_python = findPython();
    if (m_python.isEmpty())
        return;
    const Run probe = run(m_python, {QStringLiteral("-c"), QStringLiteral("import torch, matplotlib")});
    m_hasTorch = probe.finished && probe.exitCode == 0;
    if (!m_hasTorch)
        qInfo("%s cannot import torch and matplotlib (Debian: apt-get install python3-torch python3-matplotlib): "
              "the comparisons with the core are skipped",
              qPrintable(m_python));
}

QString TestPyTorchScript::writeScript(const PyTorchFigure &figure, const QString &name)
{
    QString file = name;
    file.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9]+")), QStringLiteral("_"));
    const QString path = m_dir.filePath(file + QStringLiteral(".py"));
    const QString error = writePyTorchScript(path, figure);
    return error.isEmpty() ? path : QString();
}

void TestPyTorchScript::isValidPython()
{
    QFETCH(PyTorchFigure, figure);
    if (m_python.isEmpty())
        QSKIP("no python3 on this machine");
    const QString path = writeScript(figure, QString::fromUtf8(QTest::currentDataTag()) + QStringLiteral("_syntax"));
    QVERIFY(!path.isEmpty());
    const Run r = run(m_python, {QStringLiteral("-m"), QStringLiteral("py_compile"), path});
    QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
}

void TestPyTorchScript::carriesTheParameters()
{
    PyTorchFigure f = lectureFigure();
    f.w1 = 2.5;
    f.w2 = 0.75;
    f.latentCount = 12;
    f.beta = 0.3;
    f.field = 3;
    f.z = 1.0; // 1.0 / (2 pi / 12) = 1.91: the nearest latent is k = 2
    f.data = {{0.1, -0.2}, {3.0, 4.0}};
    f.caption = QStringLiteral("provenance line");
    const QString script = pytorchScript(f);
    for (const char *expected :
         {"w1, w2 = 2.5, 0.75", "N = 12  #", "CONTINUOUS = False", "beta = 0.29999999999999999",
          "FIELD = \"posterior\"", "k_star = 2  #", "x0, x1, nx = -3.0, 3.0, 41", "y0, y1, ny = -3.0, 3.0, 37",
          "[[0.10000000000000001, -0.20000000000000001], [3.0, 4.0]]", "CAPTION = \"provenance line\"",
          "torch.logsumexp(-beta * E, dim=-1)", "torch.float64", "torch.linspace(x0, x1, nx)"})
        QVERIFY2(script.contains(QString::fromUtf8(expected)), expected);
    QVERIFY(script.contains(QStringLiteral("z_star = ") + QString::number(2 * kTwoPi / 12, 'g', 17)));

    f.beta = kInfiniteBeta;
    f.latentCount = 0;
    const QString cold = pytorchScript(f);
    QVERIFY(cold.contains(QStringLiteral("beta = math.inf")));
    QVERIFY(cold.contains(QStringLiteral("CONTINUOUS = True")));
    QVERIFY(cold.contains(QStringLiteral("N = %1  #").arg(kContinuousSamples)));
}

void TestPyTorchScript::captionIsAnExactPythonString()
{
    if (m_python.isEmpty())
        QSKIP("no python3 on this machine");
    PyTorchFigure f = lectureFigure();
    f.caption = QStringLiteral("quote \" backslash \\ newline\n tab\t β = ∞ @W1@ '''");
    const QString path = writeScript(f, QStringLiteral("caption"));
    QVERIFY(!path.isEmpty());
    const Run compiled = run(m_python, {QStringLiteral("-m"), QStringLiteral("py_compile"), path});
    QVERIFY2(compiled.finished && compiled.exitCode == 0, compiled.err.constData());
    const QString extract =
        QStringLiteral("import ast, sys\n"
                       "src = open(sys.argv[1], encoding='utf-8').read()\n"
                       "line = next(l for l in src.splitlines() if l.startswith('CAPTION = '))\n"
                       "sys.stdout.buffer.write(ast.literal_eval(line[len('CAPTION = '):]).encode('utf-8'))\n");
    const Run r = run(m_python, {QStringLiteral("-c"), extract, path});
    QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
    QCOMPARE(QString::fromUtf8(r.out), f.caption);
}

void TestPyTorchScript::matchesTheCore()
{
    QFETCH(PyTorchFigure, figure);
    if (!m_hasTorch)
        QSKIP("python3 cannot import torch and matplotlib (Debian: apt-get install python3-torch python3-matplotlib)");
    const QString path = writeScript(figure, QString::fromUtf8(QTest::currentDataTag()));
    QVERIFY(!path.isEmpty());
    const QString csv = path + QStringLiteral(".csv");
    const Run r = run(m_python, {path, QStringLiteral("--csv"), csv});
    QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());

    const EllipseEbm model(EllipseParams{figure.w1, figure.w2}, figure.latentCount == 0
                                                                    ? LatentSpec::continuous()
                                                                    : LatentSpec::sampled(figure.latentCount));
    const FieldRequest request{static_cast<FieldKind>(figure.field), figure.beta, figure.z};
    const Grid grid{figure.x0, figure.x1, figure.y0, figure.y1, figure.nx, figure.ny};
    const std::optional<Eigen::MatrixXd> core = evaluateField(model, request, grid);
    QVERIFY(core.has_value());

    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.value(0), QByteArray("y1,y2,value"));
    QCOMPARE(lines.size(), qsizetype(grid.nx) * grid.ny + 2); // header, rows, and the empty piece after the last \n
    QVERIFY(lines.last().isEmpty());
    // Energies get an absolute floor far below 1e-6 of their scale; probabilities one of 1e-12.
    const double floor = figure.field == 3 ? 1e-6 : 1e-9;
    int checked = 0;
    double worst = 0.0;
    for (int j = 0; j < grid.ny; ++j) {
        for (int i = 0; i < grid.nx; ++i) {
            const QList<QByteArray> cells = lines[1 + j * grid.nx + i].split(',');
            QCOMPARE(cells.size(), qsizetype(3));
            EBM_COMPARE_REL(cells[0].toDouble(), grid.y1At(i), 1e-14, 1.0);
            EBM_COMPARE_REL(cells[1].toDouble(), grid.y2At(j), 1e-14, 1.0);
            bool ok = false;
            const double value = cells[2].toDouble(&ok);
            QVERIFY2(ok && std::isfinite(value), cells[2].constData());
            if (!ebmtest::closeTo(value, (*core)(j, i), 1e-6, floor))
                QFAIL(qPrintable(QStringLiteral("at (%1, %2): script %3, core %4")
                                     .arg(grid.y1At(i))
                                     .arg(grid.y2At(j))
                                     .arg(value, 0, 'g', 17)
                                     .arg((*core)(j, i), 0, 'g', 17)));
            worst = std::max(worst, std::abs(value - (*core)(j, i)) /
                                        std::max({std::abs(value), std::abs((*core)(j, i)), floor}));
            ++checked;
        }
    }
    QCOMPARE(checked, grid.nx * grid.ny);
    qInfo("%d values, largest relative difference %.3g", checked, worst);
}

void TestPyTorchScript::drawsTheFigure()
{
    if (!m_hasTorch)
        QSKIP("python3 cannot import torch and matplotlib (Debian: apt-get install python3-torch python3-matplotlib)");
    const QString path = writeScript(lectureFigure(), QStringLiteral("figure"));
    const QString png = m_dir.filePath(QStringLiteral("figure.png"));
    const Run r = run(m_python, {path, QStringLiteral("--png"), png});
    QVERIFY2(r.finished && r.exitCode == 0, r.err.constData());
    QFile file(png);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.startsWith("\x89PNG\r\n\x1a\n"));
    QVERIFY2(bytes.size() > 20000, "a figure with a heatmap, a legend and a caption is not a few bytes");
    if (qEnvironmentVariableIsSet("EBM_KEEP_PYTORCH_FIGURE"))
        QFile::copy(png, qEnvironmentVariable("EBM_KEEP_PYTORCH_FIGURE"));
}

QTEST_GUILESS_MAIN(TestPyTorchScript)
#include "tst_pytorchscript.moc"
