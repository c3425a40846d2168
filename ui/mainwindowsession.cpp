// Sessions in the window: open, save, save as, recent files, drag and drop, and the title's file name and marker.
#include "mainwindow.h"

#include "io/csvio.h"
#include "observationplane.h"
#include "trainingpanel.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QUndoStack>

#include <cmath>

namespace ebm {

namespace {

const QString kRecentKey = QStringLiteral("session/recent");
const QString kSessionFilter = QStringLiteral("EBM Lab sessions (*.json);;All files (*)");

bool isSessionFile(const QString &path)
{
    return path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
}

bool isDataFile(const QString &path)
{
    return path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive);
}

//! The one local session or data file a drag carries, or empty.
QString droppedFile(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls() || mime->urls().size() != 1 || !mime->urls().front().isLocalFile())
        return {};
    const QString path = mime->urls().front().toLocalFile();
    return isSessionFile(path) || isDataFile(path) ? path : QString();
}

} // namespace

void MainWindow::buildSessionMenu(QMenu *file)
{
    file->addAction(tr("&Open Session…"), QKeySequence::Open, this, &MainWindow::openSessionDialog);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    rebuildRecentMenu();
    file->addAction(tr("&Save Session"), QKeySequence::Save, this, &MainWindow::saveSessionInPlace);
    file->addAction(tr("Save Session &As…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), this,
                    &MainWindow::saveSessionAs);
    file->addSeparator();
}

Session MainWindow::currentSession() const
{
    Session s;
    s.state = m_state;
    s.data = m_data;
    s.customData = m_customData;
    const QRectF view = m_plane->viewRange();
    s.view = {view.left(), view.right(), view.top(), view.bottom()};
    s.training = m_training->config();
    // The trace holds finite rows only; row 0 may not be (a loss that is infinite at the initial w).
    for (const TracePoint &row : m_training->trace()) {
        if (!std::isfinite(row.loss))
            break;
        s.trace.push_back(row);
    }
    s.lesson = m_lessonBanner->isHidden() ? -1 : m_currentLesson;
    return s;
}

void MainWindow::applySession(const Session &session)
{
    setState(session.state);
    m_data = session.data;
    m_customData = session.customData;
    m_plane->setData(m_data);
    // The view last: its change recomputes everything for the new state (and keeps file data, m_customData).
    m_plane->setView(session.view.x0, session.view.x1, session.view.y0, session.view.y1);
    const bool hasLesson = session.lesson >= 0 && session.lesson < static_cast<int>(m_lessons.size());
    m_currentLesson = hasLesson ? session.lesson : -1;
    if (hasLesson) {
        const Lesson &lesson = m_lessons[static_cast<size_t>(session.lesson)];
        m_lessonBanner->setText(QStringLiteral("<b>%1</b> — %2").arg(lesson.title, lesson.explanation));
    }
    m_lessonBanner->setVisible(hasLesson);
    m_training->restoreRun(m_data, session.training, session.trace);
    m_undo->clear(); // the undo history belongs to the state that was replaced
    m_dataEdited = false;
    updateTitle();
}

bool MainWindow::openSession(const QString &path)
{
    QString error;
    const std::optional<Session> session = readSession(path, &error);
    if (!session) {
        reportFileProblem(tr("Cannot open the session %1: %2").arg(QFileInfo(path).fileName(), error));
        return false; // nothing changed
    }
    applySession(*session);
    m_sessionPath = QFileInfo(path).absoluteFilePath();
    rememberRecent(m_sessionPath);
    updateTitle();
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(m_sessionPath)), 8000);
    return true;
}

bool MainWindow::saveSession(const QString &path)
{
    const Session session = currentSession();
    const QByteArray json = sessionToJson(session);
    // What cannot be read back is not saved (e.g. data from a CSV with coordinates beyond +-1e6).
    QString problem;
    if (!sessionFromJson(json, &problem)) {
        reportFileProblem(tr("Cannot save the session: it would not open again (%1)").arg(problem));
        return false;
    }
    if (const QString error = writeFileAtomically(path, json); !error.isEmpty()) {
        reportFileProblem(tr("Cannot save the session: %1").arg(error));
        return false;
    }
    m_sessionPath = QFileInfo(path).absoluteFilePath();
    m_dataEdited = false;
    m_undo->setClean();
    rememberRecent(m_sessionPath);
    updateTitle();
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_sessionPath)), 8000);
    return true;
}

bool MainWindow::openFile(const QString &path)
{
    if (isSessionFile(path))
        return openSession(path);
    if (isDataFile(path))
        return openDataFile(path);
    reportFileProblem(tr("Cannot open %1: neither a session (.json) nor a data set (.csv)").arg(path));
    return false;
}

bool MainWindow::openDataFile(const QString &path)
{
    const DataCsv csv = readDataCsv(path);
    if (!csv.error.isEmpty()) {
        reportFileProblem(tr("Cannot open the data set %1: %2").arg(QFileInfo(path).fileName(), csv.error));
        return false; // nothing changed
    }
    m_data = csv.points;
    m_customData = true;
    m_dataEdited = true;
    m_plane->setData(m_data);
    // New data are a new training problem, as a regenerated data set is.
    m_training->setProblem(m_data, m_state.latents(), EllipseParams{1.0, 1.0});
    updateTitle();
    statusBar()->showMessage(tr("%1 data points from %2").arg(m_data.size()).arg(QFileInfo(path).fileName()), 8000);
    return true;
}

void MainWindow::openSessionDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a session"), QString(), kSessionFilter);
    if (!path.isEmpty())
        openSession(path);
}

void MainWindow::saveSessionInPlace()
{
    if (m_sessionPath.isEmpty())
        saveSessionAs();
    else
        saveSession(m_sessionPath);
}

void MainWindow::saveSessionAs()
{
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save the session"), m_sessionPath.isEmpty() ? tr("session.json") : m_sessionPath, kSessionFilter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1String(".json");
    saveSession(path);
}

QStringList MainWindow::recentSessions()
{
    QSettings settings;
    const QStringList stored = settings.value(kRecentKey).toStringList();
    QStringList kept, gone;
    for (const QString &path : stored)
        (QFileInfo::exists(path) ? kept : gone).append(path);
    if (!gone.isEmpty()) {
        settings.setValue(kRecentKey, kept);
        statusBar()->showMessage(tr("No longer there, removed from the recent sessions: %1")
                                     .arg(QDir::toNativeSeparators(gone.join(QStringLiteral(", ")))),
                                 8000);
    }
    return kept;
}

void MainWindow::rememberRecent(const QString &path)
{
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecentSessions)
        recent.removeLast();
    settings.setValue(kRecentKey, recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList recent = recentSessions();
    for (int i = 0; i < recent.size(); ++i) {
        const QString &path = recent[i];
        QAction *action = m_recentMenu->addAction(
            QStringLiteral("&%1  %2").arg(i + 1).arg(QFileInfo(path).fileName()), this, [this, path] {
                if (!QFileInfo::exists(path)) {
                    recentSessions(); // drops it, with a message
                    reportFileProblem(tr("Cannot open %1: the file no longer exists").arg(path));
                    return;
                }
                openSession(path);
            });
        action->setToolTip(QDir::toNativeSeparators(path));
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::reportFileProblem(const QString &message)
{
    m_lastError = message;
    statusBar()->showMessage(message, 15000);
    // Non-modal: the window stays usable (and a test never blocks); one warning at a time, showing the newest.
    if (!m_warning) {
        m_warning = new QMessageBox(QMessageBox::Warning, tr("EBM Lab"), QString(), QMessageBox::Ok, this);
        m_warning->setObjectName(QStringLiteral("fileProblem"));
        m_warning->setWindowModality(Qt::NonModal);
        m_warning->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_warning->setText(message);
    m_warning->show();
    emit fileProblem(message);
}

void MainWindow::updateTitle()
{
    const QString name = m_sessionPath.isEmpty() ? QString() : QFileInfo(m_sessionPath).fileName();
    setWindowTitle(name.isEmpty() ? QStringLiteral("EBM Lab — latent-variable energy-based models[*]")
                                  : QStringLiteral("%1[*] — EBM Lab").arg(name));
    setWindowModified(!m_undo->isClean() || m_dataEdited);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!droppedFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = droppedFile(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    openFile(path);
}

} // namespace ebm
