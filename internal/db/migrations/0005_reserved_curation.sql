-- Reserved for curation rounds, built on another branch; dropped when merged.
SELECT 1;
