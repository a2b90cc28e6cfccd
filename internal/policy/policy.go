// Package policy says who may see and change what in Etalase. It is the one
// place these rules live: services ask it before they act (they take the actor
// and check it themselves), and pages and the API only ask it to decide what to
// show, never to decide what is allowed.
//
// Which procedure actions a role may take, in which state, is the procedure's
// own rule and lives in internal/sop; this package covers access to data.
package policy

import (
	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/role"
)

// ListsApplications says whether u sees the Office's lists of applications
// (all applicants): gallery staff, curators and leadership. An applicant sees
// only their own through their business.
func ListsApplications(u account.User) bool {
	switch u.Role {
	case role.StafGaleri, role.Kurator, role.Pimpinan:
		return true
	}
	return false
}

// ViewsApplication says whether u may open an application of the business
// owned by ownerID: its owner, and those who see the lists.
func ViewsApplication(u account.User, ownerID int64) bool {
	if u.Role == role.Pemohon {
		return u.ID == ownerID
	}
	return ListsApplications(u)
}

// ViewsBusiness says whether u may read a business profile (with the NIK
// masked): the same people as for its applications.
func ViewsBusiness(u account.User, ownerID int64) bool { return ViewsApplication(u, ownerID) }

// EditsBusiness says whether u may change a business profile, its products and
// its documents: its owner, and gallery staff filling the form for a walk-in
// applicant or correcting it on the applicant's behalf.
func EditsBusiness(u account.User, ownerID int64) bool {
	return (u.Role == role.Pemohon && u.ID == ownerID) || u.Role == role.StafGaleri
}

// ReadsDocument says whether u may open a document's file: its owner; the
// gallery staff who verify documents; the curator for product papers (permits,
// photos) but never identity papers (KTP, NIB). Leadership, division officers
// and the admin see lists, not scans.
func ReadsDocument(u account.User, ownerID int64, identity bool) bool {
	switch u.Role {
	case role.Pemohon:
		return u.ID == ownerID
	case role.StafGaleri:
		return true
	case role.Kurator:
		return !identity
	}
	return false
}

// ReviewsDocuments says whether u checks applicants' documents (SOP step 1).
func ReviewsDocuments(u account.User) bool { return u.Role == role.StafGaleri }

// ReceivesSamples says whether u records the samples handed over (SOP step 3).
func ReceivesSamples(u account.User) bool { return u.Role == role.StafGaleri }

// RegistersApplicants says whether u may open an account for a walk-in
// applicant at the desk, and import the old form's responses.
func RegistersApplicants(u account.User) bool { return u.Role == role.StafGaleri }

// SeesFullNIK says whether u may see a business's NIK unmasked: the owner,
// and the gallery staff who verify identities. Every such view is audited.
func SeesFullNIK(u account.User, ownerID int64) bool {
	return u.Role == role.StafGaleri || (u.Role == role.Pemohon && u.ID == ownerID)
}

// SeesDuplicateNIK says whether u is told that a business's NIK is recorded
// on another business too: the gallery staff who verify identities. Whoever
// types a NIK is not, or the form would tell anyone which NIKs the Office has.
func SeesDuplicateNIK(u account.User) bool { return u.Role == role.StafGaleri }

// SeesContact says whether u sees an applicant's phone number, e-mail and
// street address in full: the owner, and the gallery staff who call them.
// Curators and leadership see them masked: they judge products and read
// reports, and have no need to contact the applicant.
func SeesContact(u account.User, ownerID int64) bool {
	return u.Role == role.StafGaleri || (u.Role == role.Pemohon && u.ID == ownerID)
}

// AmendsUnderReview says whether u may change what an application under review
// was judged on (with a reason, written into its history): gallery staff only.
// The applicant asks the gallery, or makes a new application.
func AmendsUnderReview(u account.User) bool { return u.Role == role.StafGaleri }

// HidesExistence says whether a refusal should look like "not found" to u:
// an applicant must not learn which numbers and ids exist, nor an external
// curation expert (kurator) what lies outside their assignments or that a KTP
// is on file; gallery staff are told plainly that their role may not.
func HidesExistence(u account.User) bool {
	return u.Role == role.Pemohon || u.Role == role.Kurator || !u.Role.Valid()
}

// ResetsPassword says whether u may give target a new one-time password: the
// admin for anyone; gallery staff for an applicant standing at the desk (after
// seeing their KTP), never for a staff account, whose reset is the admin's.
func ResetsPassword(u, target account.User) bool {
	switch u.Role {
	case role.Admin:
		return true
	case role.StafGaleri:
		return target.Role == role.Pemohon
	}
	return false
}

// NewStaffRole is the role a new staff account starts with on the admin's
// form: the least one, leadership's, which reads lists with contacts masked and
// changes nothing. (A division officer sees less still, but needs a division
// chosen.) An admin is made only by choosing it.
const NewStaffRole = role.Pimpinan

// StaffRoles are the roles a staff account may be made with, from the least
// privileged to the most, as the admin's form offers them.
var StaffRoles = []role.Role{role.Pimpinan, role.Bidang, role.Kurator, role.StafGaleri, role.Admin}

// CuratesRounds says whether u runs curation rounds: makes them, adds the
// applications whose samples are in, assigns reviewers, types in an expert's
// paper scores (SOP step 4).
func CuratesRounds(u account.User) bool { return u.Role == role.StafGaleri }

// ReviewsProducts says whether u may be assigned to score products: gallery
// staff and curation experts.
func ReviewsProducts(u account.User) bool { return u.Role == role.StafGaleri || u.Role == role.Kurator }

// DecidesProducts says whether u records the decision per product: the
// curation expert (Tenaga Ahli Kurasi) in the SOP.
func DecidesProducts(u account.User) bool { return u.Role == role.Kurator }

// EditsRubrics says whether u defines the curation rubric: the admin.
func EditsRubrics(u account.User) bool { return u.Role == role.Admin }
