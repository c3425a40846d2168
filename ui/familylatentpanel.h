// The latent panel for K-means and sparse coding (issue #7), the counterpart of LatentPanel for the ellipse:
// K-means: E(y, k) per cluster as stems with k_check marked and the F_inf / F_beta levels, P_beta(k | y) as bars;
// sparse coding: the lasso code z_check and the lecture's top-2 refit z_check_2 as bars over the atoms, and the
// energy of the refit split into its cost ||y_dot - W z||^2 and its regulariser alpha ||z||_1.
#pragma once

#include "math/kmeans.h"
#include "math/sparsecoding.h"

#include <QString>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPAxisRect;
class QCPBars;
class QCPGraph;
class QCPItemStraightLine;
class QLabel;

namespace ebm {

class FamilyLatentPanel : public QWidget
{
    Q_OBJECT
public:
    explicit FamilyLatentPanel(QWidget *parent = nullptr);

    void showKMeans(const KMeans &model, const Vec2 &y, double beta);
    void showSparse(const SparseCoding &model, const Vec2 &y);

    // What is on screen, for tests.
    QVector<double> stems() const;      //!< K-means: E(y, k) in k order; sparse: the lasso z_check
    int markedIndex() const;            //!< K-means: k_check; sparse: the first index of the top-2 support
    QVector<double> bars() const;       //!< K-means: P_beta(k | y); sparse: z_check_2
    double zeroTemperatureLine() const; //!< the F_inf level drawn
    QString readoutText() const;
    QCustomPlot *plot() const { return m_plot; }

private:
    void setAxes(int count, const QString &index, const QString &top, const QString &bottom);

    QCustomPlot *m_plot;
    QCPAxisRect *m_topRect;
    QCPAxisRect *m_bottomRect;
    QCPGraph *m_stems;
    QCPGraph *m_marker;
    QCPBars *m_topBars;
    QCPBars *m_bars;
    QCPBars *m_markedBars;
    QCPItemStraightLine *m_zeroTemperatureLine;
    QCPItemStraightLine *m_freeEnergyLine;
    QLabel *m_readout;
    QVector<double> m_stemValues;
    QVector<double> m_barValues;
    int m_marked = -1;
    double m_zeroTemperature = 0.0;
};

} // namespace ebm
