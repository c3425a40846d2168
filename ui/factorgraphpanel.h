// The "Energy graph" dock: the model's energy computation graph as the lecture draws it (y observed, z latent,
// Dec a deterministic box, the cost factors C and R as squares, their sum E, then min or softmin over z giving the
// field), with the term the plane displays highlighted. Painted with QPainter, so exports stay vector.
#pragma once

#include "factorgraph.h"

#include <QWidget>

namespace ebm {

class FactorGraphPanel : public QWidget
{
    Q_OBJECT
public:
    explicit FactorGraphPanel(QWidget *parent = nullptr);

    void setModel(ModelKind kind);
    //! The field the plane shows; \a beta = inf for zero temperature.
    void setField(FieldKind kind, double beta);
    //! The latent of E(y, z*) and P(z* | y): the ellipse's angle, K-means' cluster index.
    void setZStar(double zStar);

    ModelKind model() const { return m_model; }
    //! The graph as painted (nodes, their formulas, the highlight).
    const FactorGraph &graph() const { return m_graph; }
    //! Every text the panel paints: each node's name ("F_β") and formula, the edge labels and the note.
    QStringList nodeLabels() const;
    //! The id of the principal highlighted node (softmin, min, E) and all of them.
    QString highlightedNode() const;
    QStringList highlightedNodes() const { return m_graph.highlighted; }
    QColor highlightColour() const { return termColour(m_graph.term); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void rebuild();

    ModelKind m_model = ModelKind::Ellipse;
    FieldKind m_field = FieldKind::FreeEnergy;
    double m_beta = 1.0;
    double m_zStar = 0.0;
    FactorGraph m_graph;
};

} // namespace ebm
