// Package role names who may use Etalase and for what. It is a leaf package: the
// procedure rules (sop), accounts and the web layer all speak of roles through it.
package role

import "slices"

// Role is what a user does at the Office. Every user has exactly one.
type Role string

const (
	Admin      Role = "admin"       // system administrator
	StafGaleri Role = "staf_galeri" // gallery staff (Staff Gallery)
	Kurator    Role = "kurator"     // curation expert (Tenaga Ahli Kurasi)
	Bidang     Role = "bidang"      // officer of another division (halal, standards, IP, licensing)
	Pimpinan   Role = "pimpinan"    // Kepala Dinas / Kepala Bidang: reads reports
	Pemohon    Role = "pemohon"     // the SME applicant
)

// All lists the roles in the order they are offered on forms.
var All = []Role{Admin, StafGaleri, Kurator, Bidang, Pimpinan, Pemohon}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return slices.Contains(All, r) }

// IsStaff reports whether r works for the Office (everyone but the applicant).
func (r Role) IsStaff() bool { return r.Valid() && r != Pemohon }

// Division is the division of the Office a "bidang" officer belongs to. The
// referrals of SOP step 8 go to one of these.
type Division string

const (
	Halal         Division = "halal"         // Fasilitasi Sertifikasi Halal
	Standardisasi Division = "standardisasi" // Standarisasi dan Sertifikasi (SNI/HACCP/ISO)
	HKI           Division = "hki"           // Kekayaan Intelektual (trademarks and other IP)
	Perizinan     Division = "perizinan"     // licensing (NIB, P-IRT, BPOM)
)

// Divisions lists the divisions in the order they are offered on forms.
var Divisions = []Division{Halal, Standardisasi, HKI, Perizinan}

// Valid reports whether d is one of the known divisions.
func (d Division) Valid() bool { return slices.Contains(Divisions, d) }
