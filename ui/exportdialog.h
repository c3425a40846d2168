// The export dialog: which panel, which format, what size and resolution, with or without the caption, and where.
#pragma once

#include "exporter.h"

#include <QDialog>
#include <QSize>

#include <array>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ebm {

enum class ExportTarget { Window, Plane, Latent, Section };
enum class ExportFormat { Png, Pdf, Svg };

//! The suffix of a format ("png", "pdf", "svg").
QString exportSuffix(ExportFormat format);

class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ExportDialog(QWidget *parent = nullptr);

    //! The size a target has now: choosing that target fills it in as the default figure size.
    void setTargetSize(ExportTarget target, QSize size);
    //! The provenance caption to draw (shown as a preview under the check box).
    void setCaptionText(const QString &text);

    void setTarget(ExportTarget target);
    void setFormat(ExportFormat format);
    //! Sets the path; a .png/.pdf/.svg suffix also selects the format.
    void setPath(const QString &path);
    void setOptions(const ExportOptions &options);

    ExportTarget target() const;
    ExportFormat format() const;
    QString path() const;
    //! Size, DPI, caption switch and caption text, ready for exportWidget().
    ExportOptions options() const;

private:
    void browse();
    void onTargetChanged();
    void onFormatChanged();
    void onPathEdited(const QString &path);
    void updateSummary();

    std::array<QSize, 4> m_targetSizes;
    QString m_captionText;
    QComboBox *m_target;
    QComboBox *m_format;
    QSpinBox *m_width;
    QSpinBox *m_height;
    QSpinBox *m_dpi;
    QLabel *m_summary;
    QCheckBox *m_caption;
    QLabel *m_captionPreview;
    QLineEdit *m_path;
    QDialogButtonBox *m_buttons;
};

} // namespace ebm
