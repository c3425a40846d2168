// A model thread that computes fields off the GUI thread; the latest request wins.
#pragma once

#include "math/contours.h"
#include "math/ellipseebm.h"
#include "math/field.h"
#include "math/grid.h"
#include "state/familystate.h"

#include <QObject>

#include <Eigen/Core>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ebm {

//! Everything needed to compute one field: plain values, copied into the worker.
struct FieldJob
{
    EllipseParams w;
    LatentSpec latents = LatentSpec::sampled(48);
    FieldRequest request;
    Grid grid;
    //! Where to sample -grad F for the arrows; none when arrowGrid.nx == 0.
    Grid arrowGrid{0, 0, 0, 0, 0, 0};
    int contourCount = 0;    //!< contour lines evenly spaced over the field's range; 0 for none
    bool marginLine = false; //!< also the level set {field = margin}
    double margin = 1.0;
    //! Which model of the family; K-means and sparse coding take their parameters from kmeans / sparse (the
    //! ellipse from w and latents, through evaluateFieldFast as before).
    ModelKind modelKind = ModelKind::Ellipse;
    KMeansState kmeans;
    SparseState sparse;

    bool operator==(const FieldJob &) const = default;
};

//! \brief the field of \a job (and, when \a gradients is given and the job asks for arrows, -grad F on its
//! arrow grid) on every core, as the worker computes it: false with *problem set when the job cannot be computed
//! (a bad grid or request); true with \a values empty when \a cancel was raised
bool evaluateFieldJob(const FieldJob &job, const std::atomic<bool> *cancel, std::optional<Eigen::MatrixXd> &values,
                      std::optional<std::vector<GradientSample>> *gradients = nullptr, std::string *problem = nullptr);

//! What comes back: the job it answers, its generation and the values (rows = y2, columns = y1).
struct FieldResult
{
    quint64 generation = 0;
    FieldJob job;
    Eigen::MatrixXd values;
    std::vector<GradientSample> gradients; //!< at the points of job.arrowGrid
    std::vector<ContourSegment> contours;  //!< all job.contourCount levels together
    std::vector<ContourSegment> marginContour;
    double elapsedMs = 0.0;
};

class FieldWorker : public QObject
{
    Q_OBJECT
public:
    explicit FieldWorker(QObject *parent = nullptr);
    //! Aborts the running computation and joins the thread: closing never waits for a whole field.
    ~FieldWorker() override;

    //! Queues \a job, replacing any still waiting, and cancels the one in progress unless nothing has been
    //! shown for longer than the frame budget (then it finishes, so a continuous sweep still shows frames).
    //! Returns the job's generation.
    quint64 submit(const FieldJob &job);
    //! The generation of the newest submitted job: results older than it are stale.
    quint64 latestGeneration() const { return m_submitted.load(); }

    //! A running job is left to finish when no result has been shown for this long.
    static constexpr qint64 kFrameBudgetMs = 200;

signals:
    //! Emitted from the model thread; connect with the default (queued across threads) connection.
    void fieldReady(const ebm::FieldResult &result);
    //! A job the model could not compute (e.g. an invalid request), with the reason.
    void fieldFailed(quint64 generation, const QString &message);

private:
    void loop();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::optional<FieldJob> m_pending;
    quint64 m_pendingGeneration = 0;
    std::atomic<quint64> m_submitted{0};
    std::atomic<bool> m_cancel{false};
    std::atomic<bool> m_abort{false};
    //! When the last result was emitted (steady clock, ns); starts "long ago" so the first job runs through.
    std::atomic<qint64> m_lastEmitNs{0};
    std::thread m_thread;
};

} // namespace ebm

Q_DECLARE_METATYPE(ebm::FieldResult)
