//! Matrix federation request authorization (`Authorization: X-Matrix …`), owned by the X-Matrix work.
