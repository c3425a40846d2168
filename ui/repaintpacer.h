// Repaints spread over turns of the event loop. Qt delivers, in one turn, every event posted before the turn
// began: a beta step that queued the plane's, the latent panel's and the section's repaints had them all run back
// to back (18-22 ms with the step itself), and the window could not take a key or a timer in between. The pacer
// runs queued repaints in the order asked until a turn has spent its budget, and leaves the rest to the next turn.
#pragma once

#include <QObject>
#include <QPointer>

#include <deque>
#include <functional>

class QCustomPlot;

namespace ebm {

class RepaintPacer : public QObject
{
    Q_OBJECT

public:
    //! The GUI thread's pacer (a child of the application).
    static RepaintPacer &instance();

    //! Runs \a job in a later turn of the event loop. Asking again for a \a key that waits keeps its place in the
    //! queue and replaces its job; a key that is destroyed meanwhile is dropped.
    void schedule(QObject *key, std::function<void()> job);
    //! schedule() of a full replot of \a plot: the paced rpQueuedReplot.
    static void replot(QCustomPlot *plot);
    //! Repaints waiting.
    int pending() const { return static_cast<int>(m_queue.size()); }
    //! Delivers events until no repaint waits (at most \a maxTurns turns): what is on screen is then what the
    //! window holds, and anything a repaint set off (a refit of the plane, a new field asked for) has been asked.
    static void settle(int maxTurns = 200);

    //! Milliseconds of repaints a turn may run before the rest waits for the next turn.
    static constexpr double kTurnBudgetMs = 4.0;

private:
    explicit RepaintPacer(QObject *parent);
    void runTurn();
    void post();

    struct Job
    {
        QPointer<QObject> key;
        std::function<void()> run;
    };
    std::deque<Job> m_queue;
    bool m_posted = false;
};

} // namespace ebm
